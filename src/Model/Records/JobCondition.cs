using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>
/// slurmdb_job_cond_t (slurmdb_pack_job_cond; records spec §8.1): what sacct asks for, and the jobs an
/// archive dump covers. A default instance packs as the reference NULL form (db_flags NOTSET = no filter).
/// </summary>
public sealed record JobCondition : IWireRecord<JobCondition>
{
    /// <summary>SLURMDB_JOB_FLAG_NOTSET: do not filter on the job's flags.</summary>
    public const uint DbFlagNotSet = 0x1;

    public List<string>? AccountList { get; init; }
    public List<string>? AssociationIdList { get; init; }
    public List<string>? ClusterList { get; init; }
    public List<string>? ConstraintList { get; init; }
    public uint CpusMax { get; init; }
    public uint CpusMin { get; init; }
    public uint DbFlags { get; init; } = DbFlagNotSet;
    public int ExitCode { get; init; }
    /// <summary>JOBCOND_FLAG_* bits.</summary>
    public uint Flags { get; init; }
    public List<string>? FormatList { get; init; }
    public List<string>? GroupIdList { get; init; }
    public List<string>? JobNameList { get; init; }
    public uint NodesMax { get; init; }
    public uint NodesMin { get; init; }
    public List<string>? PartitionList { get; init; }
    public List<string>? QosList { get; init; }
    public List<string>? ReasonList { get; init; }
    public List<string>? ReservationList { get; init; }
    public List<string>? ReservationIdList { get; init; }
    public List<SelectedStep>? StepList { get; init; }
    public List<string>? StateList { get; init; }
    public uint TimeLimitMax { get; init; }
    public uint TimeLimitMin { get; init; }
    public long UsageEnd { get; init; }
    public long UsageStart { get; init; }
    public string? UsedNodes { get; init; }
    public List<string>? UserIdList { get; init; }
    public List<string>? WckeyList { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteStringList(AccountList);
        writer.WriteStringList(AssociationIdList);
        writer.WriteStringList(ClusterList);
        writer.WriteStringList(ConstraintList);
        writer.WriteU32(CpusMax);
        writer.WriteU32(CpusMin);
        writer.WriteU32(DbFlags);
        writer.WriteU32((uint)ExitCode);
        writer.WriteU32(Flags);
        writer.WriteStringList(FormatList);
        writer.WriteStringList(GroupIdList);
        writer.WriteStringList(JobNameList);
        writer.WriteU32(NodesMax);
        writer.WriteU32(NodesMin);
        writer.WriteStringList(PartitionList);
        writer.WriteStringList(QosList);
        writer.WriteStringList(ReasonList);
        writer.WriteStringList(ReservationList);
        writer.WriteStringList(ReservationIdList);
        writer.WriteList(StepList);
        writer.WriteStringList(StateList);
        writer.WriteU32(TimeLimitMax);
        writer.WriteU32(TimeLimitMin);
        writer.WriteTime(UsageEnd);
        writer.WriteTime(UsageStart);
        writer.WriteString(UsedNodes);
        writer.WriteStringList(UserIdList);
        writer.WriteStringList(WckeyList);
    }

    /// <summary>
    /// Keeps every step entry as sent; the reference decoder's dropping of job id 0 entries is a query
    /// rule (records spec §8.1 #20), not part of the layout.
    /// </summary>
    public static JobCondition Unpack(ref SlurmReader reader) => new()
    {
        AccountList = reader.ReadStringList(),
        AssociationIdList = reader.ReadStringList(),
        ClusterList = reader.ReadStringList(),
        ConstraintList = reader.ReadStringList(),
        CpusMax = reader.ReadU32(),
        CpusMin = reader.ReadU32(),
        DbFlags = reader.ReadU32(),
        ExitCode = (int)reader.ReadU32(),
        Flags = reader.ReadU32(),
        FormatList = reader.ReadStringList(),
        GroupIdList = reader.ReadStringList(),
        JobNameList = reader.ReadStringList(),
        NodesMax = reader.ReadU32(),
        NodesMin = reader.ReadU32(),
        PartitionList = reader.ReadStringList(),
        QosList = reader.ReadStringList(),
        ReasonList = reader.ReadStringList(),
        ReservationList = reader.ReadStringList(),
        ReservationIdList = reader.ReadStringList(),
        StepList = reader.ReadList<SelectedStep>(),
        StateList = reader.ReadStringList(),
        TimeLimitMax = reader.ReadU32(),
        TimeLimitMin = reader.ReadU32(),
        UsageEnd = reader.ReadTime(),
        UsageStart = reader.ReadTime(),
        UsedNodes = reader.ReadString(),
        UserIdList = reader.ReadStringList(),
        WckeyList = reader.ReadStringList(),
    };
}
