using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>
/// slurmdb_job_rec_t, 22.05 layout (slurmdb_pack_job_rec; records spec §8.2): what DBD_GOT_JOBS returns to
/// sacct and DBD_FIX_RUNAWAY_JOB carries back. The steps travel inline, and unlike every other list their
/// count is never NO_VAL.
/// </summary>
public sealed record JobRecord : IListRecord<JobRecord>
{
    /// <summary>22 NULL strings, 27 u32 (the step count among them), 8 u64, 4 times.</summary>
    public static int MinimumPackedSize => 22 * 4 + 27 * 4 + 8 * 8 + 4 * 8;

    public string? Account { get; init; }
    public string? AdminComment { get; init; }
    public uint AllocNodes { get; init; }
    public uint ArrayJobId { get; init; }
    public uint ArrayMaxTasks { get; init; }
    public uint ArrayTaskId { get; init; } = SlurmValues.NoVal;
    public string? ArrayTaskString { get; init; }
    public uint AssocId { get; init; }
    public string? BlockId { get; init; }
    public string? Cluster { get; init; }
    public string? Constraints { get; init; }
    public string? Container { get; init; }
    public ulong DbIndex { get; init; }
    /// <summary>A wait status (records spec §8.4), an int32 on the sending side.</summary>
    public uint DerivedExitCode { get; init; }
    public string? DerivedExitString { get; init; }
    public uint Elapsed { get; init; }
    public long Eligible { get; init; }
    public long End { get; init; }
    public string? Env { get; init; }
    /// <summary>A wait status (records spec §8.4), an int32 on the sending side.</summary>
    public uint ExitCode { get; init; }
    public uint Flags { get; init; }
    public uint Gid { get; init; }
    public uint JobId { get; init; }
    public string? JobName { get; init; }
    public uint Lft { get; init; }
    public string? McsLabel { get; init; }
    public string? Nodes { get; init; }
    public uint HetJobId { get; init; }
    public uint HetJobOffset { get; init; } = SlurmValues.NoVal;
    public string? Partition { get; init; }
    public uint Priority { get; init; }
    public uint QosId { get; init; }
    public uint ReqCpus { get; init; }
    /// <summary>MB; bit 63 (MEM_PER_CPU) marks a per-CPU request.</summary>
    public ulong ReqMem { get; init; }
    public uint RequestingUid { get; init; } = SlurmValues.Infinite;
    public string? ReservationName { get; init; }
    public uint ReservationId { get; init; }
    public string? Script { get; init; }
    public uint ShowFull { get; init; }
    public long Start { get; init; }
    public uint State { get; init; }
    public uint StateReasonPrev { get; init; }
    public List<StepRecord> Steps { get; init; } = [];
    public long Submit { get; init; }
    public string? SubmitLine { get; init; }
    public uint Suspended { get; init; }
    public string? SystemComment { get; init; }
    public ulong SysCpuSec { get; init; }
    public ulong SysCpuUsec { get; init; }
    public uint Timelimit { get; init; }
    public ulong TotCpuSec { get; init; }
    public ulong TotCpuUsec { get; init; }
    public string? TresAllocString { get; init; }
    public string? TresReqString { get; init; }
    public uint Uid { get; init; }
    public string? User { get; init; }
    public ulong UserCpuSec { get; init; }
    public ulong UserCpuUsec { get; init; }
    public string? Wckey { get; init; }
    public uint WckeyId { get; init; }
    public string? WorkDir { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteString(Account);
        writer.WriteString(AdminComment);
        writer.WriteU32(AllocNodes);
        writer.WriteU32(ArrayJobId);
        writer.WriteU32(ArrayMaxTasks);
        writer.WriteU32(ArrayTaskId);
        writer.WriteString(ArrayTaskString);
        writer.WriteU32(AssocId);
        writer.WriteString(BlockId);
        writer.WriteString(Cluster);
        writer.WriteString(Constraints);
        writer.WriteString(Container);
        writer.WriteU64(DbIndex);
        writer.WriteU32(DerivedExitCode);
        writer.WriteString(DerivedExitString);
        writer.WriteU32(Elapsed);
        writer.WriteTime(Eligible);
        writer.WriteTime(End);
        writer.WriteString(Env);
        writer.WriteU32(ExitCode);
        writer.WriteU32(Flags);
        writer.WriteU32(Gid);
        writer.WriteU32(JobId);
        writer.WriteString(JobName);
        writer.WriteU32(Lft);
        writer.WriteString(McsLabel);
        writer.WriteString(Nodes);
        writer.WriteU32(HetJobId);
        writer.WriteU32(HetJobOffset);
        writer.WriteString(Partition);
        writer.WriteU32(Priority);
        writer.WriteU32(QosId);
        writer.WriteU32(ReqCpus);
        writer.WriteU64(ReqMem);
        writer.WriteU32(RequestingUid);
        writer.WriteString(ReservationName);
        writer.WriteU32(ReservationId);
        writer.WriteString(Script);
        writer.WriteU32(ShowFull);
        writer.WriteTime(Start);
        writer.WriteU32(State);
        writer.WriteU32(StateReasonPrev);
        writer.WriteList(Steps);
        writer.WriteTime(Submit);
        writer.WriteString(SubmitLine);
        writer.WriteU32(Suspended);
        writer.WriteString(SystemComment);
        writer.WriteU64(SysCpuSec);
        writer.WriteU64(SysCpuUsec);
        writer.WriteU32(Timelimit);
        writer.WriteU64(TotCpuSec);
        writer.WriteU64(TotCpuUsec);
        writer.WriteString(TresAllocString);
        writer.WriteString(TresReqString);
        writer.WriteU32(Uid);
        writer.WriteString(User);
        writer.WriteU64(UserCpuSec);
        writer.WriteU64(UserCpuUsec);
        writer.WriteString(Wckey);
        writer.WriteU32(WckeyId);
        writer.WriteString(WorkDir);
    }

    public static JobRecord Unpack(ref SlurmReader reader) => new()
    {
        Account = reader.ReadString(),
        AdminComment = reader.ReadString(),
        AllocNodes = reader.ReadU32(),
        ArrayJobId = reader.ReadU32(),
        ArrayMaxTasks = reader.ReadU32(),
        ArrayTaskId = reader.ReadU32(),
        ArrayTaskString = reader.ReadString(),
        AssocId = reader.ReadU32(),
        BlockId = reader.ReadString(),
        Cluster = reader.ReadString(),
        Constraints = reader.ReadString(),
        Container = reader.ReadString(),
        DbIndex = reader.ReadU64(),
        DerivedExitCode = reader.ReadU32(),
        DerivedExitString = reader.ReadString(),
        Elapsed = reader.ReadU32(),
        Eligible = reader.ReadTime(),
        End = reader.ReadTime(),
        Env = reader.ReadString(),
        ExitCode = reader.ReadU32(),
        Flags = reader.ReadU32(),
        Gid = reader.ReadU32(),
        JobId = reader.ReadU32(),
        JobName = reader.ReadString(),
        Lft = reader.ReadU32(),
        McsLabel = reader.ReadString(),
        Nodes = reader.ReadString(),
        HetJobId = reader.ReadU32(),
        HetJobOffset = reader.ReadU32(),
        Partition = reader.ReadString(),
        Priority = reader.ReadU32(),
        QosId = reader.ReadU32(),
        ReqCpus = reader.ReadU32(),
        ReqMem = reader.ReadU64(),
        RequestingUid = reader.ReadU32(),
        ReservationName = reader.ReadString(),
        ReservationId = reader.ReadU32(),
        Script = reader.ReadString(),
        ShowFull = reader.ReadU32(),
        Start = reader.ReadTime(),
        State = reader.ReadU32(),
        StateReasonPrev = reader.ReadU32(),
        Steps = ReadSteps(ref reader),
        Submit = reader.ReadTime(),
        SubmitLine = reader.ReadString(),
        Suspended = reader.ReadU32(),
        SystemComment = reader.ReadString(),
        SysCpuSec = reader.ReadU64(),
        SysCpuUsec = reader.ReadU64(),
        Timelimit = reader.ReadU32(),
        TotCpuSec = reader.ReadU64(),
        TotCpuUsec = reader.ReadU64(),
        TresAllocString = reader.ReadString(),
        TresReqString = reader.ReadString(),
        Uid = reader.ReadU32(),
        User = reader.ReadString(),
        UserCpuSec = reader.ReadU64(),
        UserCpuUsec = reader.ReadU64(),
        Wckey = reader.ReadString(),
        WckeyId = reader.ReadU32(),
        WorkDir = reader.ReadString(),
    };

    /// <summary>
    /// The reference unpacker loops on the step count without a NO_VAL case, so NO_VAL can only fail there
    /// (after four billion attempts); it is refused here at once.
    /// </summary>
    private static List<StepRecord> ReadSteps(ref SlurmReader reader)
    {
        int at = reader.Position;
        return reader.ReadList<StepRecord>() ?? throw new WireFormatException(at, "job record step count NO_VAL");
    }
}
