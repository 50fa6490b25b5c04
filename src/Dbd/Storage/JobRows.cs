using MySql.Data.MySqlClient;
using static Accounting.Dbd.Storage.JobColumn;

namespace Accounting.Dbd.Storage;

/// <summary>
/// One job row of the job query (0002 job table, with the association's account, lft and user and the
/// reservation name joined as _cluster_get_jobs joins them). Read by ordinal straight from the data
/// reader (<see cref="Read"/>): a 1,000,000-job sacct reads a million of them, and a mapper's per-row
/// conversions cost more than the rest of the answer.
/// </summary>
public sealed class JobRow
{
    /// <summary>
    /// The stored columns in the order <see cref="Read"/> takes them. The statement follows them with the
    /// computed resv_name, script, env and suspend_intervals, in this order (JobQuerySql).
    /// </summary>
    public const string Columns = """
        t1.job_db_inx, t1.account, t1.admin_comment, t1.array_task_str, t1.array_max_tasks, t1.constraints,
        t1.container, t1.cpus_req, t1.derived_ec, t1.derived_es, t1.exit_code, t1.flags, t1.id_array_job,
        t1.id_array_task, t1.id_assoc, t1.id_block, t1.id_group, t1.id_job, t1.het_job_id, t1.het_job_offset,
        t1.id_qos, t1.id_resv, t1.id_user, t1.id_wckey, t1.job_name, t1.kill_requid, t1.mem_req, t1.nodelist,
        t1.nodes_alloc, t1.`partition`, t1.priority, t1.state, t1.state_reason_prev, t1.system_comment,
        t1.time_eligible, t1.time_end, t1.time_start, t1.time_submit, t1.time_suspended, t1.timelimit, t1.wckey,
        t1.tres_alloc, t1.tres_req, t1.work_dir, t1.mcs_label, t1.submit_line, t2.acct AS assoc_acct,
        t2.lft AS assoc_lft, t2.`user` AS assoc_user
        """;

    /// <summary>How many columns a job row has; a step's columns follow them.</summary>
    public const int FieldCount = 53;

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

    /// <summary>The job of the reader's current row (columns as <see cref="Columns"/>, then the computed ones).</summary>
    public static JobRow Read(MySqlDataReader reader) => new()
    {
        JobDbInx = reader.GetUInt64(0),
        Account = Text(reader, 1),
        AdminComment = Text(reader, 2),
        ArrayTaskStr = Text(reader, 3),
        ArrayMaxTasks = reader.GetUInt32(4),
        Constraints = Text(reader, 5),
        Container = Text(reader, 6),
        CpusReq = reader.GetUInt32(7),
        DerivedEc = reader.GetUInt32(8),
        DerivedEs = Text(reader, 9),
        ExitCode = reader.GetUInt32(10),
        Flags = reader.GetUInt32(11),
        IdArrayJob = reader.GetUInt32(12),
        IdArrayTask = reader.GetUInt32(13),
        IdAssoc = reader.GetUInt32(14),
        IdBlock = Text(reader, 15),
        IdGroup = reader.GetUInt32(16),
        IdJob = reader.GetUInt32(17),
        HetJobId = reader.GetUInt32(18),
        HetJobOffset = reader.GetUInt32(19),
        IdQos = reader.GetUInt32(20),
        IdResv = reader.GetUInt32(21),
        IdUser = reader.GetUInt32(22),
        IdWckey = reader.GetUInt32(23),
        JobName = Text(reader, 24) ?? "",
        KillRequid = OptionalU32(reader, 25),
        MemReq = reader.GetUInt64(26),
        Nodelist = Text(reader, 27),
        NodesAlloc = reader.GetUInt32(28),
        Partition = Text(reader, 29) ?? "",
        Priority = reader.GetUInt32(30),
        State = reader.GetUInt32(31),
        StateReasonPrev = reader.GetUInt32(32),
        SystemComment = Text(reader, 33),
        TimeEligible = reader.GetUInt64(34),
        TimeEnd = reader.GetUInt64(35),
        TimeStart = reader.GetUInt64(36),
        TimeSubmit = reader.GetUInt64(37),
        TimeSuspended = reader.GetUInt64(38),
        Timelimit = reader.GetUInt32(39),
        Wckey = Text(reader, 40),
        TresAlloc = Text(reader, 41),
        TresReq = Text(reader, 42),
        WorkDir = Text(reader, 43),
        McsLabel = Text(reader, 44),
        SubmitLine = Text(reader, 45),
        AssocAcct = Text(reader, 46),
        AssocLft = OptionalI32(reader, 47),
        AssocUser = Text(reader, 48),
        ResvName = Text(reader, 49),
        Script = Text(reader, 50),
        Env = Text(reader, 51),
        SuspendIntervals = Text(reader, 52),
    };
}

/// <summary>One step row (0002 step table) joined to its job, read after the job's columns of the same row.</summary>
public sealed class StepRow
{
    /// <summary>The step columns in the order <see cref="Read"/> takes them.</summary>
    public const string Columns = """
        s.job_db_inx AS step_db_inx, s.id_step, s.step_het_comp, s.state, s.exit_code, s.nodes_alloc, s.task_cnt,
        s.task_dist, s.time_start, s.time_end, s.time_suspended, s.kill_requid, s.step_name, s.nodelist,
        s.req_cpufreq_min, s.req_cpufreq, s.req_cpufreq_gov, s.submit_line, s.user_sec, s.user_usec, s.sys_sec,
        s.sys_usec, s.act_cpufreq, s.consumed_energy, s.container, s.tres_alloc, s.tres_usage_in_ave,
        s.tres_usage_in_max, s.tres_usage_in_max_taskid, s.tres_usage_in_max_nodeid, s.tres_usage_in_min,
        s.tres_usage_in_min_taskid, s.tres_usage_in_min_nodeid, s.tres_usage_in_tot, s.tres_usage_out_ave,
        s.tres_usage_out_max, s.tres_usage_out_max_taskid, s.tres_usage_out_max_nodeid, s.tres_usage_out_min,
        s.tres_usage_out_min_taskid, s.tres_usage_out_min_nodeid, s.tres_usage_out_tot
        """;

    /// <summary>
    /// The step of the current row whose columns start at <paramref name="first"/>; null on a job without
    /// (wanted) steps and when the statement reads no steps at all.
    /// </summary>
    public static StepRow? Read(MySqlDataReader reader, int first) => reader.FieldCount <= first || reader.IsDBNull(first) ? null : new()
    {
        StepDbInx = reader.GetUInt64(first + 0),
        IdStep = reader.GetInt32(first + 1),
        StepHetComp = reader.GetUInt32(first + 2),
        State = reader.GetUInt16(first + 3),
        ExitCode = reader.GetInt32(first + 4),
        NodesAlloc = reader.GetUInt32(first + 5),
        TaskCnt = reader.GetUInt32(first + 6),
        TaskDist = reader.GetUInt32(first + 7),
        TimeStart = reader.GetUInt64(first + 8),
        TimeEnd = reader.GetUInt64(first + 9),
        TimeSuspended = reader.GetUInt64(first + 10),
        KillRequid = OptionalU32(reader, first + 11),
        StepName = Text(reader, first + 12),
        Nodelist = Text(reader, first + 13),
        ReqCpufreqMin = reader.GetUInt32(first + 14),
        ReqCpufreq = reader.GetUInt32(first + 15),
        ReqCpufreqGov = reader.GetUInt32(first + 16),
        SubmitLine = Text(reader, first + 17),
        UserSec = reader.GetUInt64(first + 18),
        UserUsec = reader.GetUInt32(first + 19),
        SysSec = reader.GetUInt64(first + 20),
        SysUsec = reader.GetUInt32(first + 21),
        ActCpufreq = reader.GetDouble(first + 22),
        ConsumedEnergy = reader.GetUInt64(first + 23),
        Container = Text(reader, first + 24),
        TresAlloc = Text(reader, first + 25),
        TresUsageInAve = Text(reader, first + 26),
        TresUsageInMax = Text(reader, first + 27),
        TresUsageInMaxTaskid = Text(reader, first + 28),
        TresUsageInMaxNodeid = Text(reader, first + 29),
        TresUsageInMin = Text(reader, first + 30),
        TresUsageInMinTaskid = Text(reader, first + 31),
        TresUsageInMinNodeid = Text(reader, first + 32),
        TresUsageInTot = Text(reader, first + 33),
        TresUsageOutAve = Text(reader, first + 34),
        TresUsageOutMax = Text(reader, first + 35),
        TresUsageOutMaxTaskid = Text(reader, first + 36),
        TresUsageOutMaxNodeid = Text(reader, first + 37),
        TresUsageOutMin = Text(reader, first + 38),
        TresUsageOutMinTaskid = Text(reader, first + 39),
        TresUsageOutMinNodeid = Text(reader, first + 40),
        TresUsageOutTot = Text(reader, first + 41),
    };

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

/// <summary>Nullable columns of the job query; one boxing read each, as the reader has no typed null test without it.</summary>
internal static class JobColumn
{
    public static string? Text(MySqlDataReader reader, int ordinal) => reader.GetValue(ordinal) as string;

    public static uint? OptionalU32(MySqlDataReader reader, int ordinal) => reader.GetValue(ordinal) is DBNull or null ? null : reader.GetUInt32(ordinal);

    public static int? OptionalI32(MySqlDataReader reader, int ordinal) => reader.GetValue(ordinal) is DBNull or null ? null : reader.GetInt32(ordinal);
}
