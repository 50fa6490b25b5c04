using Accounting.Model.Records;

namespace Accounting.Dbd.Rollup;

/// <summary>Who asked for a rollup pass: the daemon's own schedule or DBD_ROLL_USAGE (slot 0 and 1 of the dbd record).</summary>
public enum RollupTrigger
{
    Scheduled = 0,
    Request = 1,
}

/// <summary>One cluster's part of a pass, per hour, day and month: microseconds spent, the mark reached, periods computed.</summary>
public sealed record ClusterRollupTimes(string ClusterName, long[] Microseconds, long[] Timestamps, int[] Periods)
{
    public ClusterRollupTimes(string clusterName) : this(clusterName, new long[3], new long[3], new int[3])
    {
    }
}

/// <summary>What a pass did: false when a cluster failed (logged; the others are done).</summary>
public sealed record RollupPass(bool Ok, IReadOnlyList<ClusterRollupTimes> Clusters);

/// <summary>
/// The rollup figures of DBD_GOT_STATS (slurmdbd.c handle_rollup_stats): the dbd record counts passes by
/// trigger; each cluster record counts the periods it rolled. As in the reference, a cluster's first pass
/// is stored as it came (count 0, only its total and timestamp) and later passes are added to it.
/// </summary>
public sealed class RollupStatistics
{
    private sealed class Slots
    {
        public readonly ushort[] Count = new ushort[RollupStats.PeriodCount];
        public readonly long[] Timestamp = new long[RollupStats.PeriodCount];
        public readonly ulong[] Last = new ulong[RollupStats.PeriodCount];
        public readonly ulong[] Max = new ulong[RollupStats.PeriodCount];
        public readonly ulong[] Total = new ulong[RollupStats.PeriodCount];

        public RollupStats ToRecord(string? name) => new(name, Enumerable.Range(0, RollupStats.PeriodCount)
            .Select(i => new RollupPeriodStats(Count[i], Timestamp[i], Last[i], Max[i], Total[i])).ToList());
    }

    private readonly Lock _lock = new();
    private readonly Slots _dbd = new();
    private readonly List<(string Name, Slots Slots)> _clusters = [];

    public void Record(RollupTrigger trigger, TimeSpan elapsed, IReadOnlyList<ClusterRollupTimes> clusters, long now)
    {
        ulong micros = (ulong)(elapsed.Ticks / 10);
        int slot = (int)trigger;
        lock (_lock)
        {
            _dbd.Count[slot]++;
            _dbd.Total[slot] += micros;
            _dbd.Last[slot] = micros;
            _dbd.Max[slot] = Math.Max(_dbd.Max[slot], micros);
            _dbd.Timestamp[slot] = now;
            foreach (var cluster in clusters)
            {
                int index = _clusters.FindIndex(entry => entry.Name == cluster.ClusterName);
                if (index < 0)
                {
                    var first = new Slots();
                    for (int i = 0; i < RollupStats.PeriodCount; i++)
                    {
                        first.Total[i] = (ulong)cluster.Microseconds[i];
                        first.Timestamp[i] = cluster.Timestamps[i];
                    }
                    _clusters.Add((cluster.ClusterName, first));
                    continue;
                }
                var slots = _clusters[index].Slots;
                for (int i = 0; i < RollupStats.PeriodCount; i++)
                {
                    ulong spent = (ulong)cluster.Microseconds[i];
                    if (spent == 0)
                        continue;
                    slots.Count[i]++;
                    slots.Total[i] += spent;
                    slots.Last[i] = spent;
                    slots.Max[i] = Math.Max(slots.Max[i], spent);
                    slots.Timestamp[i] = cluster.Timestamps[i];
                }
            }
        }
    }

    public (RollupStats Dbd, List<RollupStats> Clusters) Snapshot()
    {
        lock (_lock)
            return (_dbd.ToRecord(null), _clusters.Select(entry => entry.Slots.ToRecord(entry.Name)).ToList());
    }
}
