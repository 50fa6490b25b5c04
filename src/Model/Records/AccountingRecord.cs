using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>slurmdb_accounting_rec_t: one usage row of an association or wckey (records spec §2.2).</summary>
public sealed record AccountingRecord(ulong AllocSeconds, TresRecord Tres, uint Id, long PeriodStart)
    : IListRecord<AccountingRecord>
{
    public static int MinimumPackedSize => 8 + TresRecord.MinimumPackedSize + 4 + 8;

    public void Pack(SlurmWriter writer)
    {
        writer.WriteU64(AllocSeconds);
        Tres.Pack(writer);
        writer.WriteU32(Id);
        writer.WriteTime(PeriodStart);
    }

    public static AccountingRecord Unpack(ref SlurmReader reader) =>
        new(reader.ReadU64(), TresRecord.Unpack(ref reader), reader.ReadU32(), reader.ReadTime());

}

/// <summary>slurmdb_cluster_accounting_rec_t: one usage row of a cluster (records spec §2.3).</summary>
public sealed record ClusterAccountingRecord(
    ulong AllocSeconds,
    TresRecord Tres,
    ulong DownSeconds,
    ulong IdleSeconds,
    ulong OverSeconds,
    ulong PlannedDownSeconds,
    long PeriodStart,
    ulong PlannedSeconds) : IListRecord<ClusterAccountingRecord>
{
    public static int MinimumPackedSize => 8 + TresRecord.MinimumPackedSize + 4 * 8 + 8 + 8;

    public void Pack(SlurmWriter writer)
    {
        writer.WriteU64(AllocSeconds);
        Tres.Pack(writer);
        writer.WriteU64(DownSeconds);
        writer.WriteU64(IdleSeconds);
        writer.WriteU64(OverSeconds);
        writer.WriteU64(PlannedDownSeconds);
        writer.WriteTime(PeriodStart);
        writer.WriteU64(PlannedSeconds);
    }

    public static ClusterAccountingRecord Unpack(ref SlurmReader reader) =>
        new(reader.ReadU64(), TresRecord.Unpack(ref reader), reader.ReadU64(), reader.ReadU64(),
            reader.ReadU64(), reader.ReadU64(), reader.ReadTime(), reader.ReadU64());

}
