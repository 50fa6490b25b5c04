using System.Diagnostics;

namespace Accounting.Tests.Support;

/// <summary>Waits for what a real Slurm component does in its own time (a job ending, a record arriving).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > limit)
                throw new TimeoutException($"not reached within {limit.TotalSeconds} s: {what}");
            await Task.Delay(250);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeout);
}
