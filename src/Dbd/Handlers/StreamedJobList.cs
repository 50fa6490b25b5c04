using System.Collections.Concurrent;
using Accounting.Dbd.Server;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// DBD_GOT_JOBS packed while the jobs are still being read (issue: large answers; a 100,000-job reply is
/// about 40 MB). A storage worker reads the rows unbuffered and hands over one finished job record at a
/// time through a small bounded queue; <see cref="WriteFrameAsync"/>, DbdConnection's path for this reply,
/// packs each into small chunks and sends them once the length is known. So the only whole copy of the
/// answer is those chunks, the database is still only touched on storage workers, and at most
/// <see cref="QueueLength"/> records exist at once. Same layout as ListMessage&lt;JobRecord&gt;: count,
/// records, return code.
/// </summary>
public sealed class StreamedJobList : IStreamedReply
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
    /// The frame straight to the socket (DbdConnection's path for this reply): the records are packed into
    /// small chunks as they arrive, and once the length is known the header, the chunks and the return code
    /// go out one after another, so the answer exists once, in chunks, and never in a buffer that doubles as
    /// it grows (which held up to three times a large answer at once).
    /// </summary>
    public async Task WriteFrameAsync(Stream stream, SlurmWriter writer, CancellationToken cancellation)
    {
        var (packed, count) = PackRecords();
        PackedChunks? body = packed;
        writer.Reset();
        writer.WriteU32(checked((uint)(2 + 4 + body.Length + 4)));
        writer.WriteU16((ushort)Type);
        writer.WriteU32(count);
        await stream.WriteAsync(writer.WrittenMemory, cancellation).ConfigureAwait(false);
        foreach (var chunk in body.Chunks)
            await stream.WriteAsync(chunk, cancellation).ConfigureAwait(false);
        writer.Reset();
        writer.WriteU32(SlurmError.Success);
        await stream.WriteAsync(writer.WrittenMemory, cancellation).ConfigureAwait(false);
        if (body.Length >= ReturnMemoryAbove)
        {
            // The chunks and the rows read for them lived long enough to reach the oldest generation, which
            // is rarely collected: without this the daemon would keep a large answer's size for hours.
            body = null;
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    /// <summary>Answers at least this large give their memory back to the system once sent.</summary>
    private const long ReturnMemoryAbove = 16L << 20;

    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        var (body, count) = PackRecords();
        writer.WriteU32(count);
        foreach (var chunk in body.Chunks)
            writer.WriteRaw(chunk.Span);
        writer.WriteU32(SlurmError.Success);
    }

    /// <summary>
    /// Packs every record as it arrives. A storage failure after the first record cannot be answered any
    /// more (the answer is half made); it is thrown, and the connection closes, as a client whose database
    /// goes away mid-answer expects.
    /// </summary>
    private (PackedChunks Body, uint Count) PackRecords()
    {
        var body = new PackedChunks();
        var record = new SlurmWriter(4096);
        uint count = 0;
        try
        {
            foreach (var job in _queue.GetConsumingEnumerable(_abandon.Token))
            {
                record.Reset();
                job.Pack(record);
                body.Append(record.WrittenSpan);
                count++;
            }
        }
        finally
        {
            // Releases a worker still blocked in Hand when packing stopped early.
            _abandon.Cancel();
        }
        _producer.GetAwaiter().GetResult();
        return (body, count);
    }

    /// <summary>Bytes in chunks below the large object heap's threshold, filled in order.</summary>
    private sealed class PackedChunks
    {
        private const int ChunkSize = 64 * 1024;
        private readonly List<byte[]> _chunks = [];
        private int _lastUsed = ChunkSize;

        public long Length { get; private set; }

        public IEnumerable<ReadOnlyMemory<byte>> Chunks =>
            _chunks.Select((chunk, i) => new ReadOnlyMemory<byte>(chunk, 0, i == _chunks.Count - 1 ? _lastUsed : ChunkSize));

        public void Append(ReadOnlySpan<byte> bytes)
        {
            Length += bytes.Length;
            while (!bytes.IsEmpty)
            {
                if (_lastUsed == ChunkSize)
                {
                    _chunks.Add(new byte[ChunkSize]);
                    _lastUsed = 0;
                }
                int take = Math.Min(bytes.Length, ChunkSize - _lastUsed);
                bytes[..take].CopyTo(_chunks[^1].AsSpan(_lastUsed));
                _lastUsed += take;
                bytes = bytes[take..];
            }
        }
    }
}
