namespace Accounting.Dbd.Storage;

/// <summary>
/// One job row of the job query (0002 job table, with the association's account, lft and user and the
/// reservation name joined as _cluster_get_jobs joins them). Mapped by Dapper from snake_case columns.
/// </summary>
public sealed class JobRow
{
    public ulong JobDbInx { get; init; }
    public string? Account { get; init; }
    public string? AdminComment { get; init; }
    public string? ArrayTaskStr { get; init; }
    public uint ArrayMaxTasks { get; init; }
    public string? Constraints { get; init; }
    public string? Container { get; init; }
    public uint CpusReq { get; init; }
    public uint DerivedEc { get; init; }
    public string? DerivedEs { get; init; }
    public uint ExitCode { get; init; }
    public uint Flags { get; init; }
    public uint IdArrayJob { get; init; }
    public uint IdArrayTask { get; init; }
    public uint IdAssoc { get; init; }
    public string? IdBlock { get; init; }
    public uint IdGroup { get; init; }
    public uint IdJob { get; init; }
    public uint HetJobId { get; init; }
    public uint HetJobOffset { get; init; }
    public uint IdQos { get; init; }
    public uint IdResv { get; init; }
    public string? ResvName { get; init; }
    public uint IdUser { get; init; }
    public uint IdWckey { get; init; }
    public string JobName { get; init; } = "";
    public uint? KillRequid { get; init; }
    public ulong MemReq { get; init; }
    public string? Nodelist { get; init; }
    public uint NodesAlloc { get; init; }
    public string Partition { get; init; } = "";
    public uint Priority { get; init; }
    public uint State { get; init; }
    public uint StateReasonPrev { get; init; }
    public string? SystemComment { get; init; }
    public ulong TimeEligible { get; init; }
    public ulong TimeEnd { get; init; }
    public ulong TimeStart { get; init; }
    public ulong TimeSubmit { get; init; }
    public ulong TimeSuspended { get; init; }
    public uint Timelimit { get; init; }
    public string? Wckey { get; init; }
    public string? TresAlloc { get; init; }
    public string? TresReq { get; init; }
    public string? WorkDir { get; init; }
    public string? McsLabel { get; init; }
    public string? SubmitLine { get; init; }
    /// <summary>The batch script or environment when asked for (SCRIPT/ENV, NULL if not stored), else "".</summary>
    public string? Script { get; init; }
    public string? Env { get; init; }
    public string? AssocAcct { get; init; }
    public int? AssocLft { get; init; }
    public string? AssocUser { get; init; }
    /// <summary>"start:end,…" of the suspend intervals inside the window, read only without NO_TRUNC.</summary>
    public string? SuspendIntervals { get; init; }
}

/// <summary>One step row (0002 step table) joined to its job; null on a job without (wanted) steps.</summary>
public sealed class StepRow
{
    public ulong StepDbInx { get; init; }
    public int IdStep { get; init; }
    public uint StepHetComp { get; init; }
    public ushort State { get; init; }
    public int ExitCode { get; init; }
    public uint NodesAlloc { get; init; }
    public uint TaskCnt { get; init; }
    public uint TaskDist { get; init; }
    public ulong TimeStart { get; init; }
    public ulong TimeEnd { get; init; }
    public ulong TimeSuspended { get; init; }
    public uint? KillRequid { get; init; }
    public string? StepName { get; init; }
    public string? Nodelist { get; init; }
    public uint ReqCpufreqMin { get; init; }
    public uint ReqCpufreq { get; init; }
    public uint ReqCpufreqGov { get; init; }
    public string? SubmitLine { get; init; }
    public ulong UserSec { get; init; }
    public uint UserUsec { get; init; }
    public ulong SysSec { get; init; }
    public uint SysUsec { get; init; }
    public double ActCpufreq { get; init; }
    public ulong ConsumedEnergy { get; init; }
    public string? Container { get; init; }
    public string? TresAlloc { get; init; }
    public string? TresUsageInAve { get; init; }
    public string? TresUsageInMax { get; init; }
    public string? TresUsageInMaxTaskid { get; init; }
    public string? TresUsageInMaxNodeid { get; init; }
    public string? TresUsageInMin { get; init; }
    public string? TresUsageInMinTaskid { get; init; }
    public string? TresUsageInMinNodeid { get; init; }
    public string? TresUsageInTot { get; init; }
    public string? TresUsageOutAve { get; init; }
    public string? TresUsageOutMax { get; init; }
    public string? TresUsageOutMaxTaskid { get; init; }
    public string? TresUsageOutMaxNodeid { get; init; }
    public string? TresUsageOutMin { get; init; }
    public string? TresUsageOutMinTaskid { get; init; }
    public string? TresUsageOutMinNodeid { get; init; }
    public string? TresUsageOutTot { get; init; }
}
