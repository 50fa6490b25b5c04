using System.Collections.Concurrent;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// DBD_GOT_JOBS packed while the jobs are still being read (issue: large answers; a 100,000-job reply is
/// about 40 MB). A storage worker reads the rows unbuffered and hands over one finished job record at a
/// time through a small bounded queue; PackBody, called by DbdConnection for this reply like for any
/// other, packs each straight into the connection's writer. So the only whole copy of the answer is the
/// frame being sent, the database is still only touched on storage workers, and at most
/// <see cref="QueueLength"/> records exist at once. Same layout as ListMessage&lt;JobRecord&gt;: count,
/// records, return code.
/// </summary>
public sealed class StreamedJobList : IDbdMessage
{
    private const int QueueLength = 256;

    private readonly BlockingCollection<JobRecord> _queue = new(QueueLength);
    private readonly CancellationTokenSource _abandon = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _producer = Task.CompletedTask;

    private StreamedJobList()
    {
    }

    public DbdMessageType Type => DbdMessageType.GotJobs;

    /// <summary>
    /// Starts reading on a storage worker and returns once the first job is ready or the read has ended,
    /// so that a query that fails at once still fails in the handler and becomes a PERSIST_RC there.
    /// </summary>
    public static async Task<StreamedJobList> StartAsync(StorageSession storage, TimeSpan deadline, Action<SqlScope, Action<JobRecord>> read)
    {
        var reply = new StreamedJobList();
        reply._abandon.CancelAfter(deadline);
        reply._producer = storage.ReadAsync(scope =>
        {
            try
            {
                read(scope, reply.Hand);
            }
            finally
            {
                reply._queue.CompleteAdding();
                reply._started.TrySetResult();
            }
            return true;
        });
        await Task.WhenAny(reply._started.Task, reply._producer).ConfigureAwait(false);
        if (reply._producer.IsFaulted && reply._queue.Count == 0)
        {
            // Nothing will be packed; stop the deadline timer and report the failure from the handler.
            reply._abandon.Cancel();
            await reply._producer.ConfigureAwait(false);
        }
        return reply;
    }

    /// <summary>Blocks the worker while the queue is full; gives up when the reply is never packed in time.</summary>
    private void Hand(JobRecord job)
    {
        _queue.Add(job, _abandon.Token);
        _started.TrySetResult();
    }

    /// <summary>
    /// A storage failure after the first record cannot be answered any more (the frame is half written);
    /// it is thrown, and the connection closes, as a client whose database goes away mid-answer expects.
    /// </summary>
    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        int countAt = writer.ReserveU32();
        uint count = 0;
        try
        {
            foreach (var job in _queue.GetConsumingEnumerable(_abandon.Token))
            {
                job.Pack(writer);
                count++;
            }
        }
        finally
        {
            // Releases a worker still blocked in Hand when packing stopped early.
            _abandon.Cancel();
        }
        _producer.GetAwaiter().GetResult();
        writer.PatchU32(countAt, count);
        writer.WriteU32(SlurmError.Success);
    }
}
