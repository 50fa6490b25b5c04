using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>One rollup period's timing (hour, day or month) inside a rollup-stats record (records spec §11.6).</summary>
public sealed record RollupPeriodStats(ushort Count, long Timestamp, ulong LastMicroseconds, ulong MaxMicroseconds, ulong TotalMicroseconds);

/// <summary>slurmdb_rollup_stats_t: a cluster's (or the dbd's own) rollup timings.</summary>
public sealed record RollupStats(string? ClusterName, IReadOnlyList<RollupPeriodStats> Periods)
    : IListRecord<RollupStats>
{
    /// <summary>Hour, day, month: the unpacker rejects more than three.</summary>
    public const int PeriodCount = 3;

    public static int MinimumPackedSize => 6;

    public void Pack(SlurmWriter writer)
    {
        writer.WriteString(ClusterName);
        writer.WriteU16((ushort)Periods.Count);
        foreach (var period in Periods)
        {
            writer.WriteU16(period.Count);
            writer.WriteTime(period.Timestamp);
            writer.WriteU64(period.LastMicroseconds);
            writer.WriteU64(period.MaxMicroseconds);
            writer.WriteU64(period.TotalMicroseconds);
        }
    }

    public static RollupStats Unpack(ref SlurmReader reader)
    {
        string? name = reader.ReadString();
        int at = reader.Position;
        ushort count = reader.ReadU16();
        if (count > PeriodCount)
            throw new WireFormatException(at, $"rollup stats with {count} periods");
        var periods = new RollupPeriodStats[count];
        for (int i = 0; i < count; i++)
            periods[i] = new RollupPeriodStats(reader.ReadU16(), reader.ReadTime(), reader.ReadU64(), reader.ReadU64(), reader.ReadU64());
        return new RollupStats(name, periods);
    }

}

/// <summary>slurmdb_rpc_obj_t: a count and total time for one message type or one uid.</summary>
public sealed record RpcStats(uint Count, uint Id, ulong TotalMicroseconds) : IListRecord<RpcStats>
{
    public static int MinimumPackedSize => 16;

    public static RpcStats Unpack(ref SlurmReader reader) => new(reader.ReadU32(), reader.ReadU32(), reader.ReadU64());

    public void Pack(SlurmWriter writer)
    {
        writer.WriteU32(Count);
        writer.WriteU32(Id);
        writer.WriteU64(TotalMicroseconds);
    }
}

/// <summary>
/// slurmdb_stats_rec_t, the body of DBD_GOT_STATS (slurmdb_pack_stats_msg; wire spec §8.7). It is a list
/// record only because update objects of type DBD_GOT_STATS carry a list of them (records spec §11.8).
/// </summary>
public sealed record StatsRecord(
    RollupStats DbdRollup,
    List<RollupStats>? ClusterRollups,
    List<RpcStats>? ByMessageType,
    long TimeStart,
    List<RpcStats>? ByUser) : IListRecord<StatsRecord>
{
    /// <summary>An empty dbd rollup, three list counts and the time.</summary>
    public static int MinimumPackedSize => RollupStats.MinimumPackedSize + 3 * 4 + 8;

    public void Pack(SlurmWriter writer)
    {
        DbdRollup.Pack(writer);
        writer.WriteList(ClusterRollups);
        writer.WriteList(ByMessageType);
        writer.WriteTime(TimeStart);
        writer.WriteList(ByUser);
    }

    public static StatsRecord Unpack(ref SlurmReader reader) => new(
        RollupStats.Unpack(ref reader),
        reader.ReadList<RollupStats>(),
        reader.ReadList<RpcStats>(),
        reader.ReadTime(),
        reader.ReadList<RpcStats>());
}
