using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// DBD_JOB_START (dbd_job_start_msg_t, the 41 fields of the 22.05 order; wire spec §9.5.1), also the record
/// type of DBD_SEND_MULT_JOB_START. Answered with an <see cref="IdReturnCode"/>.
/// </summary>
public sealed record JobStartMessage : IDbdMessage, IListRecord<JobStartMessage>
{
    /// <summary>db_index of a job whose start is in flight without a known row yet; treat as 0 (wire spec §9.5.1).</summary>
    public const ulong DbIndexPending = SlurmValues.NoVal64;

    /// <summary>17 NULL strings, 19 u32, 2 u64, 3 times.</summary>
    public static int MinimumPackedSize => 17 * 4 + 19 * 4 + 2 * 8 + 3 * 8;

    public DbdMessageType Type => DbdMessageType.JobStart;

    public string? Account { get; init; }
    public uint AllocNodes { get; init; }
    public uint ArrayJobId { get; init; }
    public uint ArrayMaxTasks { get; init; }
    public uint ArrayTaskId { get; init; } = SlurmValues.NoVal;
    /// <summary>Hex bitmap of the still-pending tasks of an array's meta record, e.g. "0x3FF".</summary>
    public string? ArrayTaskString { get; init; }
    public uint ArrayTaskPending { get; init; }
    public uint AssocId { get; init; }
    public string? Constraints { get; init; }
    public string? Container { get; init; }
    public uint DbFlags { get; init; }
    public ulong DbIndex { get; init; }
    public long EligibleTime { get; init; }
    public uint Gid { get; init; }
    public string? GresUsed { get; init; }
    public uint JobId { get; init; }
    public uint JobState { get; init; }
    public uint StateReasonPrev { get; init; }
    public string? McsLabel { get; init; }
    public string? Name { get; init; }
    public string? Nodes { get; init; }
    /// <summary>node_inx: index ranges ("0-3,7") into the cluster's sorted node list of DBD_CLUSTER_TRES.</summary>
    public string? NodeIndexes { get; init; }
    public uint HetJobId { get; init; }
    public uint HetJobOffset { get; init; } = SlurmValues.NoVal;
    public string? Partition { get; init; }
    public uint Priority { get; init; }
    public uint QosId { get; init; }
    public uint ReqCpus { get; init; }
    /// <summary>pn_min_memory with the MEM_PER_CPU flag in bit 63.</summary>
    public ulong ReqMem { get; init; }
    public uint ReservationId { get; init; }
    public long StartTime { get; init; }
    public string? SubmitLine { get; init; }
    public long SubmitTime { get; init; }
    public uint Timelimit { get; init; }
    public string? TresAllocString { get; init; }
    public string? TresReqString { get; init; }
    public uint Uid { get; init; }
    public string? Wckey { get; init; }
    public string? WorkDir { get; init; }
    /// <summary>"hashtype:hex" of the environment, sent while the job has no db_index.</summary>
    public string? EnvHash { get; init; }
    public string? ScriptHash { get; init; }

    public void PackBody(SlurmWriter writer, ushort protocolVersion) => Pack(writer);

    public void Pack(SlurmWriter writer)
    {
        writer.WriteString(Account);
        writer.WriteU32(AllocNodes);
        writer.WriteU32(ArrayJobId);
        writer.WriteU32(ArrayMaxTasks);
        writer.WriteU32(ArrayTaskId);
        writer.WriteString(ArrayTaskString);
        writer.WriteU32(ArrayTaskPending);
        writer.WriteU32(AssocId);
        writer.WriteString(Constraints);
        writer.WriteString(Container);
        writer.WriteU32(DbFlags);
        writer.WriteU64(DbIndex);
        writer.WriteTime(EligibleTime);
        writer.WriteU32(Gid);
        writer.WriteString(GresUsed);
        writer.WriteU32(JobId);
        writer.WriteU32(JobState);
        writer.WriteU32(StateReasonPrev);
        writer.WriteString(McsLabel);
        writer.WriteString(Name);
        writer.WriteString(Nodes);
        writer.WriteString(NodeIndexes);
        writer.WriteU32(HetJobId);
        writer.WriteU32(HetJobOffset);
        writer.WriteString(Partition);
        writer.WriteU32(Priority);
        writer.WriteU32(QosId);
        writer.WriteU32(ReqCpus);
        writer.WriteU64(ReqMem);
        writer.WriteU32(ReservationId);
        writer.WriteTime(StartTime);
        writer.WriteString(SubmitLine);
        writer.WriteTime(SubmitTime);
        writer.WriteU32(Timelimit);
        writer.WriteString(TresAllocString);
        writer.WriteString(TresReqString);
        writer.WriteU32(Uid);
        writer.WriteString(Wckey);
        writer.WriteString(WorkDir);
        writer.WriteString(EnvHash);
        writer.WriteString(ScriptHash);
    }

    public static JobStartMessage Unpack(ref SlurmReader reader) => new()
    {
        Account = reader.ReadString(),
        AllocNodes = reader.ReadU32(),
        ArrayJobId = reader.ReadU32(),
        ArrayMaxTasks = reader.ReadU32(),
        ArrayTaskId = reader.ReadU32(),
        ArrayTaskString = reader.ReadString(),
        ArrayTaskPending = reader.ReadU32(),
        AssocId = reader.ReadU32(),
        Constraints = reader.ReadString(),
        Container = reader.ReadString(),
        DbFlags = reader.ReadU32(),
        DbIndex = reader.ReadU64(),
        EligibleTime = reader.ReadTime(),
        Gid = reader.ReadU32(),
        GresUsed = reader.ReadString(),
        JobId = reader.ReadU32(),
        JobState = reader.ReadU32(),
        StateReasonPrev = reader.ReadU32(),
        McsLabel = reader.ReadString(),
        Name = reader.ReadString(),
        Nodes = reader.ReadString(),
        NodeIndexes = reader.ReadString(),
        HetJobId = reader.ReadU32(),
        HetJobOffset = reader.ReadU32(),
        Partition = reader.ReadString(),
        Priority = reader.ReadU32(),
        QosId = reader.ReadU32(),
        ReqCpus = reader.ReadU32(),
        ReqMem = reader.ReadU64(),
        ReservationId = reader.ReadU32(),
        StartTime = reader.ReadTime(),
        SubmitLine = reader.ReadString(),
        SubmitTime = reader.ReadTime(),
        Timelimit = reader.ReadU32(),
        TresAllocString = reader.ReadString(),
        TresReqString = reader.ReadString(),
        Uid = reader.ReadU32(),
        Wckey = reader.ReadString(),
        WorkDir = reader.ReadString(),
        EnvHash = reader.ReadString(),
        ScriptHash = reader.ReadString(),
    };
}
