using System.Collections.Concurrent;
using Accounting.Model.Records;

namespace Accounting.Dbd.Server;

/// <summary>
/// What `sacctmgr show stats` reports: per message type and per uid, how many requests and their total
/// handling time in microseconds, since start or the last DBD_CLEAR_STATS.
/// </summary>
public sealed class RpcStatistics(TimeProvider clock)
{
    private sealed class Counter
    {
        public long Count;
        public long TotalMicroseconds;
    }

    private ConcurrentDictionary<uint, Counter> _byType = new();
    private ConcurrentDictionary<uint, Counter> _byUser = new();

    public long TimeStart { get; private set; } = clock.GetUtcNow().ToUnixTimeSeconds();

    public void Record(ushort messageType, uint uid, TimeSpan elapsed)
    {
        long microseconds = (long)elapsed.TotalMicroseconds;
        Add(_byType, messageType, microseconds);
        Add(_byUser, uid, microseconds);
    }

    private static void Add(ConcurrentDictionary<uint, Counter> counters, uint id, long microseconds)
    {
        var counter = counters.GetOrAdd(id, _ => new Counter());
        Interlocked.Increment(ref counter.Count);
        Interlocked.Add(ref counter.TotalMicroseconds, microseconds);
    }

    public void Clear()
    {
        _byType = new ConcurrentDictionary<uint, Counter>();
        _byUser = new ConcurrentDictionary<uint, Counter>();
        TimeStart = clock.GetUtcNow().ToUnixTimeSeconds();
    }

    public List<RpcStats> ByMessageType() => Snapshot(_byType);

    public List<RpcStats> ByUser() => Snapshot(_byUser);

    private static List<RpcStats> Snapshot(ConcurrentDictionary<uint, Counter> counters) =>
        counters.OrderBy(entry => entry.Key)
            .Select(entry => new RpcStats((uint)Interlocked.Read(ref entry.Value.Count), entry.Key,
                (ulong)Interlocked.Read(ref entry.Value.TotalMicroseconds)))
            .ToList();
}
