using Accounting.Dbd.Server;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// DBD_GOT_JOBS packed while the jobs are still being read (issue: large answers; a 100,000-job reply is
/// about 40 MB). The storage worker that reads the rows unbuffered packs each finished job record into
/// small chunks at once, so a record lives only while it is packed and no other thread has to be woken
/// per job; <see cref="WriteFrameAsync"/>, DbdConnection's path for this reply, then sends the chunks
/// once the length is known. So the only whole copy of the answer is those chunks, and the database is
/// still only touched on storage workers. Same layout as ListMessage&lt;JobRecord&gt;: count, records,
/// return code.
/// </summary>
public sealed class StreamedJobList : IStreamedReply
{
    private PackedChunks? _body;
    private uint _count;

    private StreamedJobList(PackedChunks body, uint count)
    {
        _body = body;
        _count = count;
    }

    public DbdMessageType Type => DbdMessageType.GotJobs;

    /// <summary>
    /// Reads and packs every job on a storage worker. Nothing has been sent when a read fails, so any
    /// failure, even after many jobs, still fails in the handler and becomes a PERSIST_RC there, as the
    /// reference answers a failed job query.
    /// </summary>
    public static async Task<StreamedJobList> StartAsync(StorageSession storage, Action<SqlScope, Action<JobRecord>> read) =>
        await storage.ReadAsync(scope =>
        {
            var body = new PackedChunks();
            var record = new SlurmWriter(4096);
            uint count = 0;
            read(scope, job =>
            {
                record.Reset();
                job.Pack(record);
                body.Append(record.WrittenSpan);
                count++;
            });
            return new StreamedJobList(body, count);
        }).ConfigureAwait(false);

    /// <summary>
    /// The frame straight to the socket (DbdConnection's path for this reply): the records are packed into
    /// small chunks as they arrive, and once the length is known the header, the chunks and the return code
    /// go out one after another, so the answer exists once, in chunks, and never in a buffer that doubles as
    /// it grows (which held up to three times a large answer at once).
    /// </summary>
    public async Task WriteFrameAsync(Stream stream, SlurmWriter writer, CancellationToken cancellation)
    {
        PackedChunks? body = _body ?? throw new InvalidOperationException("a job list is sent once");
        _body = null;
        writer.Reset();
        writer.WriteU32(checked((uint)(2 + 4 + body.Length + 4)));
        writer.WriteU16((ushort)Type);
        writer.WriteU32(_count);
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
        var body = _body ?? throw new InvalidOperationException("a job list is sent once");
        writer.WriteU32(_count);
        foreach (var chunk in body.Chunks)
            writer.WriteRaw(chunk.Span);
        writer.WriteU32(SlurmError.Success);
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
