using System.Buffers.Binary;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Spool;

/// <summary>
/// The durable queue of controller messages accepted while no database is writable (issue: nothing
/// lost). Records are appended to segment files and fsync'd before anyone is told they are stored;
/// appends that arrive together share one fsync. Replay reads them back in arrival order; a cursor,
/// replaced atomically, remembers how far replay got, so a crash at any point replays at most a few
/// records twice (replay is idempotent) and never skips one.
/// </summary>
public sealed class MessageSpool : IDisposable
{
    private const long SegmentSize = 64L * 1024 * 1024;
    private const string SegmentPrefix = "spool-";
    private const string SegmentSuffix = ".log";
    private const string CursorFile = "replayed";
    private const string LockFile = "lock";
    private const string RejectedFile = "rejected.log";

    private readonly string _directory;
    private readonly long _limit;
    private readonly ILogger _logger;
    private readonly BlockingCollection<PendingAppend> _appends = new();
    private readonly Thread _writer;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, Segment> _segments = [];
    private readonly FileStream _lock;
    private FileStream? _current;
    private long _nextSequence;
    private long _replayedThrough;
    private long _bytes;
    private long _depth;
    private bool _nearLimitLogged;

    private sealed record PendingAppend(SpoolRecord Record, TaskCompletionSource<long> Done);

    private sealed class Segment(string path, long firstSequence)
    {
        public string Path { get; } = path;
        public long FirstSequence { get; } = firstSequence;
        public long LastSequence { get; set; } = firstSequence - 1;
        public long Bytes { get; set; }

        /// <summary>Where reading for replay may start: every record before it is replayed.</summary>
        public long ReplayOffset { get; set; }
    }

    /// <summary>The end offset of each record the last <see cref="Pending"/> returned, so replay never re-reads from a segment's start.</summary>
    private readonly Dictionary<long, (Segment Segment, long End)> _pendingEnds = [];

    private MessageSpool(string directory, long limit, ILogger logger)
    {
        _directory = directory;
        _limit = limit;
        _logger = logger;
        Directory.CreateDirectory(directory);
        // Two daemons appending to one spool would interleave sequence numbers: the second is refused.
        try
        {
            _lock = new FileStream(Path.Combine(directory, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException exception)
        {
            throw new IOException($"spool {directory} is in use by another process: {exception.Message}", exception);
        }
        _replayedThrough = ReadCursor();
        Recover();
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "spool-writer" };
        _writer.Start();
    }

    public static MessageSpool Open(string directory, long limitBytes, ILogger logger) => new(directory, limitBytes, logger);

    public string Location => _directory;

    /// <summary>Records not yet replayed.</summary>
    public long Depth => Interlocked.Read(ref _depth);

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Limit => _limit;

    public long ReplayedThrough => Interlocked.Read(ref _replayedThrough);

    /// <summary>Appends one message; completes once it is on disk, with its sequence number.</summary>
    public Task<long> AppendAsync(string cluster, uint uid, ushort version, byte[] message, long arrivalTime,
        string peer = "", IReadOnlyList<ulong>? dbIndexes = null)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var record = new SpoolRecord(0, arrivalTime, cluster, uid, version, message) { Peer = peer, DbIndexes = dbIndexes ?? [] };
        _appends.Add(new PendingAppend(record, done));
        return done.Task;
    }

    private void WriteLoop()
    {
        var batch = new List<PendingAppend>();
        foreach (var first in _appends.GetConsumingEnumerable())
        {
            batch.Add(first);
            while (_appends.TryTake(out var more))
                batch.Add(more);
            WriteBatch(batch);
            batch.Clear();
        }
    }

    private void WriteBatch(List<PendingAppend> batch)
    {
        var written = new List<(PendingAppend Append, long Sequence)>();
        try
        {
            lock (_gate)
            {
                foreach (var append in batch)
                {
                    var encoded = SpoolFormat.Encode(append.Record with { Sequence = _nextSequence });
                    if (_bytes + encoded.Length > _limit)
                    {
                        append.Done.TrySetException(new SpoolFullException(_bytes, _limit));
                        continue;
                    }
                    var segment = CurrentSegment(encoded.Length);
                    _current!.Write(encoded);
                    segment.LastSequence = _nextSequence;
                    segment.Bytes += encoded.Length;
                    _bytes += encoded.Length;
                    written.Add((append, _nextSequence++));
                }
                // One fsync for everything that arrived together; nobody hears "stored" before it.
                _current?.Flush(flushToDisk: true);
                Interlocked.Add(ref _depth, written.Count);
                WarnNearLimit();
            }
            foreach (var (append, sequence) in written)
                append.Done.TrySetResult(sequence);
        }
        catch (IOException exception)
        {
            _logger.LogCritical("spool write failed: {Reason}", exception.Message);
            foreach (var append in batch)
                append.Done.TrySetException(exception);
        }
    }

    private void WarnNearLimit()
    {
        bool near = _bytes >= _limit * 9 / 10;
        if (near && !_nearLimitLogged)
            _logger.LogError("spool is at {Bytes} of {Limit} bytes: records will be refused when it is full", _bytes, _limit);
        _nearLimitLogged = near;
    }

    private Segment CurrentSegment(int nextRecordLength)
    {
        var last = _segments.Count > 0 ? _segments.Last().Value : null;
        if (_current is not null && last is not null && last.Bytes + nextRecordLength <= SegmentSize)
            return last;
        _current?.Flush(flushToDisk: true);
        _current?.Dispose();
        var segment = new Segment(Path.Combine(_directory, $"{SegmentPrefix}{_nextSequence:D19}{SegmentSuffix}"), _nextSequence);
        _segments[segment.FirstSequence] = segment;
        _current = new FileStream(segment.Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        SyncDirectory();
        return segment;
    }

    /// <summary>Up to <paramref name="max"/> records after the replay cursor, in arrival order.</summary>
    public List<SpoolRecord> Pending(int max)
    {
        List<(Segment Segment, long LastSequence)> segments;
        lock (_gate)
            segments = _segments.Values.Where(s => s.LastSequence > _replayedThrough).Select(s => (s, s.LastSequence)).ToList();
        var records = new List<SpoolRecord>();
        lock (_pendingEnds)
            _pendingEnds.Clear();
        foreach (var (segment, lastSequence) in segments)
        {
            using var stream = new FileStream(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Position = segment.ReplayOffset;
            // Only records whose append completed (up to LastSequence) are read: one being written may be torn.
            while (records.Count < max && SpoolFormat.TryRead(stream) is { } record && record.Sequence <= lastSequence)
            {
                if (record.Sequence > _replayedThrough)
                {
                    records.Add(record);
                    lock (_pendingEnds)
                        _pendingEnds[record.Sequence] = (segment, stream.Position);
                }
                if (record.Sequence == lastSequence)
                    break;
            }
            if (records.Count >= max)
                break;
        }
        return records;
    }

    /// <summary>The highest db_index any record not yet replayed was answered with (0 when none).</summary>
    public ulong HighestDbIndex()
    {
        List<Segment> segments;
        lock (_gate)
            segments = _segments.Values.Where(s => s.LastSequence > _replayedThrough).ToList();
        ulong highest = 0;
        foreach (var segment in segments)
        {
            using var stream = new FileStream(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            while (SpoolFormat.TryRead(stream) is { } record && record.Sequence <= segment.LastSequence)
                if (record.Sequence > _replayedThrough && record.DbIndexes.Count > 0)
                    highest = Math.Max(highest, record.DbIndexes.Max());
        }
        return highest;
    }

    /// <summary>
    /// Keeps aside, in "rejected.log", a record replay cannot store (it fails on its own, not for want of a
    /// database), so that it is never silently lost and the records behind it still get stored.
    /// </summary>
    public void Reject(SpoolRecord record)
    {
        using var stream = new FileStream(Path.Combine(_directory, RejectedFile), FileMode.Append, FileAccess.Write);
        stream.Write(SpoolFormat.Encode(record));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Everything through <paramref name="sequence"/> is stored in the database; segments wholly behind it go.</summary>
    public void MarkReplayed(long sequence)
    {
        lock (_gate)
        {
            if (sequence <= _replayedThrough)
                return;
            long newlyReplayed = _segments.Values.Sum(s => CountBetween(s, _replayedThrough, sequence));
            WriteCursor(sequence);
            _replayedThrough = sequence;
            lock (_pendingEnds)
                if (_pendingEnds.TryGetValue(sequence, out var end))
                    end.Segment.ReplayOffset = end.End;
            Interlocked.Add(ref _depth, -newlyReplayed);
            var current = _segments.Count > 0 ? _segments.Last().Value : null;
            foreach (var segment in _segments.Values.Where(s => s.LastSequence <= sequence && s != current).ToList())
            {
                File.Delete(segment.Path);
                _segments.Remove(segment.FirstSequence);
                _bytes -= segment.Bytes;
            }
            if (current is not null && current.LastSequence <= sequence)
                StartEmptySegment(current);
        }
    }

    /// <summary>The last segment was fully replayed: begin a new one so its bytes can go.</summary>
    private void StartEmptySegment(Segment replayed)
    {
        _current?.Dispose();
        _current = null;
        File.Delete(replayed.Path);
        _segments.Remove(replayed.FirstSequence);
        _bytes -= replayed.Bytes;
    }

    private static long CountBetween(Segment segment, long after, long through)
    {
        long from = Math.Max(segment.FirstSequence, after + 1);
        long to = Math.Min(segment.LastSequence, through);
        return Math.Max(0, to - from + 1);
    }

    private long ReadCursor()
    {
        string path = Path.Combine(_directory, CursorFile);
        if (!File.Exists(path))
            return -1;
        var bytes = File.ReadAllBytes(path);
        return bytes.Length == 16 && BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)) == ~BinaryPrimitives.ReadInt64LittleEndian(bytes)
            ? BinaryPrimitives.ReadInt64LittleEndian(bytes)
            : throw new IOException($"spool cursor {path} is damaged; remove it to replay the whole spool again (replay is idempotent)");
    }

    /// <summary>Write-then-rename, each fsync'd: the cursor is always the old one or the new one.</summary>
    private void WriteCursor(long sequence)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, sequence);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), ~sequence);
        string path = Path.Combine(_directory, CursorFile);
        string temporary = path + ".new";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        SyncDirectory();
    }

    /// <summary>
    /// Reads every segment back. The first record that does not check out ends its segment: a crash
    /// tore it (never acknowledged), or the disk damaged it; the bytes from there on are kept aside in a
    /// .damaged file and cut off, so appending goes on behind sound records.
    /// </summary>
    private void Recover()
    {
        var paths = Directory.GetFiles(_directory, SegmentPrefix + "*" + SegmentSuffix).Order(StringComparer.Ordinal);
        long next = _replayedThrough + 1;
        foreach (string path in paths)
        {
            var name = Path.GetFileNameWithoutExtension(path)[SegmentPrefix.Length..];
            if (!long.TryParse(name, out long first))
                continue;
            var segment = new Segment(path, first);
            long validLength = 0;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                while (SpoolFormat.TryRead(stream) is { } record)
                {
                    segment.LastSequence = record.Sequence;
                    validLength = stream.Position;
                    if (record.Sequence > _replayedThrough)
                        _depth++;
                }
                if (validLength < stream.Length)
                {
                    _logger.LogError("spool {Path}: {Bytes} bytes after offset {Offset} are not a whole record (torn by a crash); kept in {Path}.damaged",
                        path, stream.Length - validLength, validLength, path);
                    stream.Position = validLength;
                    using var damaged = new FileStream(path + ".damaged", FileMode.Append, FileAccess.Write);
                    stream.CopyTo(damaged);
                }
            }
            if (new FileInfo(path).Length > validLength)
                using (var truncate = new FileStream(path, FileMode.Open, FileAccess.Write))
                    truncate.SetLength(validLength);
            if (segment.LastSequence < segment.FirstSequence && segment.LastSequence <= _replayedThrough)
            {
                File.Delete(path);
                continue;
            }
            segment.Bytes = validLength;
            _bytes += validLength;
            _segments[first] = segment;
            next = Math.Max(next, segment.LastSequence + 1);
        }
        _nextSequence = next;
        if (_depth > 0)
            _logger.LogInformation("spool holds {Depth} records not yet stored in the database", _depth);
    }

    /// <summary>New and renamed files survive a power cut only once their directory is synced too.</summary>
    private void SyncDirectory() => DirectorySync.Flush(_directory);

    public void Dispose()
    {
        _appends.CompleteAdding();
        _writer.Join();
        lock (_gate)
        {
            _current?.Flush(flushToDisk: true);
            _current?.Dispose();
        }
        _appends.Dispose();
        _lock.Dispose();
    }
}
