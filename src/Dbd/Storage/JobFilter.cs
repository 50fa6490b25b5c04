using Accounting.Model.Records;

namespace Accounting.Dbd.Storage;

/// <summary>
/// The WHERE clause over the job table (t1) of DBD_GET_JOBS_COND: setup_job_cond_limits,
/// setup_job_cluster_cond_limits and _setup_job_cond_selected_steps of as_mysql_jobacct_process.c
/// (records spec §8.1, §8.6), all values bound.
/// </summary>
public static class JobFilter
{
    public const uint StatePending = 0, StateRunning = 1, StateSuspended = 2, StateComplete = 3, StateOom = 11;
    public const uint StateRequeue = 0x400, StateResizing = 0x2000, StateRevoked = 0x80000;

    /// <summary>SLURMDB_JOB_FLAG_NONE: db_flags asking for jobs without any flag.</summary>
    private const uint DbFlagNone = 0;

    /// <summary>TRES_CPU, whose count in tres_alloc the cpus_min/max filter compares.</summary>
    private const int TresCpu = 1;

    public static SqlFilter For(JobCondition condition, uint clusterId, JobWindow window)
    {
        var filter = new SqlFilter();
        filter.Where("t1.cluster_id = @value", clusterId);
        if ((condition.Flags & JobConditionFlags.Runaway) == 0)
            AddConditionLimits(filter, condition, window);
        // The 22.05 reservation-name lookup queries a column the job table does not have and is skipped
        // (records spec §8.1 #18), so resv_list never filters; resvid_list does.
        filter.InNumbers("t1.id_resv", condition.ReservationIdList);
        if (condition.StateList is { Count: > 0 } states)
            filter.Where("(" + string.Join(" OR ", states.Select(state => StateClause(filter, ParseState(state), window))) + ")");
        if ((condition.Flags & JobConditionFlags.Duplicates) == 0)
            filter.Where("t1.state <> @value", StateRevoked);
        if ((condition.Flags & JobConditionFlags.Runaway) == 0)
            JobSelection.AddTo(filter, condition);
        else
            filter.Where("t1.time_end = 0");
        return filter;
    }

    private static void AddConditionLimits(SqlFilter filter, JobCondition condition, JobWindow window)
    {
        filter.In("t1.account", condition.AccountList).InNumbers("t1.id_assoc", condition.AssociationIdList);
        if (condition.ConstraintList is { Count: > 0 } constraints)
            filter.Where("(" + string.Join(" AND ", constraints.Select(c => c.Length == 0
                ? "t1.constraints = ''"
                : filter.Bind("t1.constraints LIKE @value", "%" + c + "%"))) + ")");
        if (condition.DbFlags != JobCondition.DbFlagNotSet)
        {
            if (condition.DbFlags == DbFlagNone)
                filter.Where("t1.flags = 0");
            else
                filter.Where("(t1.flags & @value) <> 0", condition.DbFlags);
        }
        filter.InNumbers("t1.state_reason_prev", condition.ReasonList)
            .InNumbers("t1.id_user", condition.UserIdList)
            .InNumbers("t1.id_group", condition.GroupIdList)
            .In("t1.job_name", condition.JobNameList)
            .In("t1.`partition`", condition.PartitionList)
            .InNumbers("t1.id_qos", condition.QosList);
        if (condition.CpusMin != 0)
            Range(filter, $"CONVERT(SUBSTRING_INDEX(t1.tres_alloc, '{TresCpu}=', -1), UNSIGNED INTEGER)", condition.CpusMin, condition.CpusMax);
        if (condition.NodesMin != 0)
            Range(filter, "t1.nodes_alloc", condition.NodesMin, condition.NodesMax);
        if (condition.TimeLimitMin != 0)
            Range(filter, "t1.timelimit", condition.TimeLimitMin, condition.TimeLimitMax);
        if (condition.StateList is not { Count: > 0 })
            AddWindow(filter, condition, window);
        filter.In("t1.wckey", condition.WckeyList);
    }

    /// <summary>min and max: between them; max 0: exactly min.</summary>
    private static void Range(SqlFilter filter, string column, uint min, uint max)
    {
        if (max != 0)
            filter.Where($"{column} BETWEEN {filter.Bind("@value", min)} AND {filter.Bind("@value", max)}");
        else
            filter.Where($"{column} = @value", min);
    }

    /// <summary>
    /// Without a state list: an explicit job list shows jobs submitted before the end and not ended before
    /// the start; otherwise only jobs eligible before the end (never-eligible ones are hidden).
    /// </summary>
    private static void AddWindow(SqlFilter filter, JobCondition condition, JobWindow window)
    {
        if (JobSelection.HasSteps(condition))
        {
            if ((condition.Flags & JobConditionFlags.NoDefaultUsage) == 0)
                filter.Where($"t1.time_submit < {filter.Bind("@value", window.End)} AND (t1.time_end >= {filter.Bind("@value", window.Start)} OR t1.time_end = 0)");
        }
        else if (window.Start != 0)
        {
            filter.Where(window.End == 0
                ? $"(t1.time_end >= {filter.Bind("@value", window.Start)} OR t1.time_end = 0)"
                : $"t1.time_eligible <> 0 AND t1.time_eligible < {filter.Bind("@value", window.End)} AND (t1.time_end >= {filter.Bind("@value", window.Start)} OR t1.time_end = 0)");
        }
        else if (window.End != 0)
        {
            filter.Where($"t1.time_eligible <> 0 AND t1.time_eligible < {filter.Bind("@value", window.End)}");
        }
    }

    /// <summary>_state_time_string: what "was in state s during the window" means for each state.</summary>
    private static string StateClause(SqlFilter filter, uint state, JobWindow window)
    {
        if (window.Start == 0 && window.End == 0)
            return filter.Bind("t1.state = @value", state);
        string start = filter.Bind("@value", window.Start), end = filter.Bind("@value", window.End), s = filter.Bind("@value", state);
        return state switch
        {
            StatePending => $"(t1.time_eligible <> 0 AND ((t1.time_start <> 0 AND {start} < t1.time_start)"
                + $" OR (t1.time_start = 0 AND t1.time_end <> 0 AND {start} < t1.time_end)"
                + $" OR (t1.time_start = 0 AND t1.time_end = 0 AND t1.state = {s})) AND {end} > t1.time_eligible)",
            StateSuspended => $"EXISTS (SELECT 1 FROM suspend su WHERE su.job_db_inx = t1.job_db_inx"
                + $" AND su.time_start <= {filter.Bind("@value", window.End != 0 ? window.End : window.Start)} AND (su.time_end >= {start} OR su.time_end = 0))",
            StateRunning => $"(t1.time_start <> 0 AND ({start} < t1.time_end OR (t1.time_end = 0 AND t1.state = {s})) AND {end} > t1.time_start)",
            >= StateComplete and <= StateOom or StateRequeue or StateResizing or StateRevoked =>
                $"(t1.state = {s} AND t1.time_end <> 0 AND t1.time_end BETWEEN {start} AND {end})",
            _ => $"t1.state = {s}",
        };
    }

    /// <summary>slurm_atoul: a state that is not a number is 0 (PENDING), as in the reference.</summary>
    private static uint ParseState(string text) => uint.TryParse(text, out uint state) ? state : 0;
}
