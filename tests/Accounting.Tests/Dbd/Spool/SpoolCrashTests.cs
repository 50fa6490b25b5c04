using System.Diagnostics;
using Accounting.Dbd.Spool;
using Accounting.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Accounting.Tests.Dbd.Spool;

/// <summary>
/// SIGKILL at any instant loses no acknowledged record and corrupts nothing: a separate process appends
/// (or replays) and is killed again and again; whatever it had been told was durable must be there,
/// whole, once, in order.
/// </summary>
public sealed class SpoolCrashTests
{
    private static string Writer => Path.Combine(AppContext.BaseDirectory, "SpoolCrashWriter.dll");

    private static async Task<List<string>> RunAndKillAsync(string[] arguments, Random random)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Writer);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        var reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
                lock (lines)
                    lines.Add(line);
        });
        // Let it get going (start-up takes a while), then kill it at some random moment of its work.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            lock (lines)
                if (lines.Count > 0)
                    break;
            await Task.Delay(20);
        }
        await Task.Delay(random.Next(1, 120));
        Process.Start("kill", ["-KILL", $"{process.Id}"])!.WaitForExit();
        await process.WaitForExitAsync();
        await reading;
        lock (lines)
            return [.. lines];
    }

    [Fact]
    public async Task Killed_writers_and_replayers_never_lose_an_acknowledged_record()
    {
        using var directory = new TemporaryDirectory("spoolkill");
        var random = new Random(7);
        var acknowledged = new Dictionary<long, long>();
        long nextIndex = 0;
        long cursorSeen = -1;
        for (int round = 0; round < 20; round++)
        {
            foreach (string line in await RunAndKillAsync(["append", directory.Path, $"{nextIndex}"], random))
            {
                var parts = line.Split(' ');
                long sequence = long.Parse(parts[0]), index = long.Parse(parts[1]);
                Assert.True(acknowledged.TryAdd(sequence, index), $"sequence {sequence} acknowledged twice");
                nextIndex = Math.Max(nextIndex, index + 1);
            }
            nextIndex += 1000;
            if (round % 3 == 2)
                foreach (string line in await RunAndKillAsync(["replay", directory.Path], random))
                    cursorSeen = Math.Max(cursorSeen, long.Parse(line));
        }
        Assert.NotEmpty(acknowledged);

        using var spool = MessageSpool.Open(directory.Path, 1L << 30, NullLogger.Instance);
        var pending = spool.Pending(int.MaxValue);
        Assert.True(spool.ReplayedThrough >= cursorSeen);
        Assert.Equal(pending.Select(r => r.Sequence).Order(), pending.Select(r => r.Sequence));
        Assert.Equal(pending.Count, pending.Select(r => r.Sequence).Distinct().Count());
        var stored = pending.ToDictionary(r => r.Sequence);
        foreach (var (sequence, index) in acknowledged.Where(a => a.Key > spool.ReplayedThrough))
        {
            Assert.True(stored.TryGetValue(sequence, out var record), $"acknowledged record {sequence} is lost");
            Assert.Equal(CrashRecords.Content(index), record.Message);
        }
    }
}
