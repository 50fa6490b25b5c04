using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>
/// slurmdb_archive_cond_t (slurmdb_pack_archive_cond; records spec §11.7): the body of DBD_ARCHIVE_DUMP.
/// Each purge value is NO_VAL (use slurmdbd.conf) or a count in its low 16 bits with unit and archive
/// bits above (0x10000 hours, 0x20000 days, 0x40000 months, 0x80000 archive). A default instance packs
/// as the reference NULL form.
/// </summary>
public sealed record ArchiveCondition : IWireRecord<ArchiveCondition>
{
    public string? ArchiveDir { get; init; }
    public string? ArchiveScript { get; init; }
    public JobCondition JobCondition { get; init; } = new();
    public uint PurgeEvent { get; init; } = SlurmValues.NoVal;
    public uint PurgeJob { get; init; } = SlurmValues.NoVal;
    public uint PurgeResv { get; init; } = SlurmValues.NoVal;
    public uint PurgeStep { get; init; } = SlurmValues.NoVal;
    public uint PurgeSuspend { get; init; } = SlurmValues.NoVal;
    public uint PurgeTxn { get; init; } = SlurmValues.NoVal;
    public uint PurgeUsage { get; init; } = SlurmValues.NoVal;

    public void Pack(SlurmWriter writer)
    {
        writer.WriteString(ArchiveDir);
        writer.WriteString(ArchiveScript);
        JobCondition.Pack(writer);
        writer.WriteU32(PurgeEvent);
        writer.WriteU32(PurgeJob);
        writer.WriteU32(PurgeResv);
        writer.WriteU32(PurgeStep);
        writer.WriteU32(PurgeSuspend);
        writer.WriteU32(PurgeTxn);
        writer.WriteU32(PurgeUsage);
    }

    public static ArchiveCondition Unpack(ref SlurmReader reader) => new()
    {
        ArchiveDir = reader.ReadString(),
        ArchiveScript = reader.ReadString(),
        JobCondition = JobCondition.Unpack(ref reader),
        PurgeEvent = reader.ReadU32(),
        PurgeJob = reader.ReadU32(),
        PurgeResv = reader.ReadU32(),
        PurgeStep = reader.ReadU32(),
        PurgeSuspend = reader.ReadU32(),
        PurgeTxn = reader.ReadU32(),
        PurgeUsage = reader.ReadU32(),
    };
}

/// <summary>
/// slurmdb_archive_rec_t (slurmdb_pack_archive_rec; records spec §11.7): the body of DBD_ARCHIVE_LOAD,
/// either a file to load or the SQL insert text itself.
/// </summary>
public sealed record ArchiveRecord(string? ArchiveFile, string? Insert) : IWireRecord<ArchiveRecord>
{
    public void Pack(SlurmWriter writer)
    {
        writer.WriteString(ArchiveFile);
        writer.WriteString(Insert);
    }

    public static ArchiveRecord Unpack(ref SlurmReader reader) => new(reader.ReadString(), reader.ReadString());
}
