using System.Collections.Concurrent;

namespace Accounting.Dbd.Storage;

/// <summary>
/// A fixed set of threads that run all database calls. MySql.Data's async methods ignore timeouts and
/// hang when a server stops answering; its sync methods honour Connection Timeout and Default Command
/// Timeout. So the driver is only ever called synchronously, here, and connection handlers await the
/// result with a deadline of their own: a dead or hung database can delay a worker, never a handler.
/// </summary>
public sealed class StorageWorkers : IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();
    private readonly Thread[] _threads;

    public StorageWorkers(int threadCount)
    {
        _threads = new Thread[threadCount];
        for (int i = 0; i < threadCount; i++)
        {
            _threads[i] = new Thread(RunQueue) { IsBackground = true, Name = $"storage-{i}" };
            _threads[i].Start();
        }
    }

    private void RunQueue()
    {
        foreach (var work in _queue.GetConsumingEnumerable())
            work();
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a storage thread. If the deadline passes first the caller gets
    /// <see cref="StorageUnavailableException"/>, and work that has not started by then never starts, so
    /// nothing runs on behalf of a caller that was already told it failed.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<T> work, TimeSpan deadline, CancellationToken cancellation = default)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        int abandoned = 0;
        _queue.Add(() =>
        {
            if (Volatile.Read(ref abandoned) != 0)
                return;
            try
            {
                completion.TrySetResult(work());
            }
            catch (Exception exception)
            {
                completion.TrySetException(exception);
            }
        }, cancellation);

        try
        {
            return await completion.Task.WaitAsync(deadline, cancellation).ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            Volatile.Write(ref abandoned, 1);
            throw new StorageUnavailableException($"database did not answer within {deadline.TotalSeconds:0.#} s", exception);
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (var thread in _threads)
            thread.Join(TimeSpan.FromSeconds(2));
        _queue.Dispose();
    }
}
