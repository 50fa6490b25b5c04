using Accounting.Model.Records;

namespace Accounting.Dbd.Storage;

/// <summary>
/// The two statements per cluster that read jobs and steps for DBD_GET_JOBS_COND, built from the job
/// filter. They reproduce what _cluster_get_jobs does row by row: rows come "order by id_job, time_submit
/// desc"; without DUP only the newest record of a job id is kept, besides RESIZING records; those older
/// records are prepended to the cluster's list as they are met, so they come first, by id_job descending
/// and submit ascending. Only jobs are ordered: the index sacct_order (migration 0009) yields the newest
/// query's order, so MariaDB streams it without a sort; the reader orders each job's steps.
/// </summary>
public static class JobQuerySql
{
    private const string JobColumns = """
        t1.job_db_inx, t1.account, t1.admin_comment, t1.array_task_str, t1.array_max_tasks, t1.constraints,
        t1.container, t1.cpus_req, t1.derived_ec, t1.derived_es, t1.exit_code, t1.flags, t1.id_array_job,
        t1.id_array_task, t1.id_assoc, t1.id_block, t1.id_group, t1.id_job, t1.het_job_id, t1.het_job_offset,
        t1.id_qos, t1.id_resv, t1.id_user, t1.id_wckey, t1.job_name, t1.kill_requid, t1.mem_req, t1.nodelist,
        t1.nodes_alloc, t1.`partition`, t1.priority, t1.state, t1.state_reason_prev, t1.system_comment,
        t1.time_eligible, t1.time_end, t1.time_start, t1.time_submit, t1.time_suspended, t1.timelimit, t1.wckey,
        t1.tres_alloc, t1.tres_req, t1.work_dir, t1.mcs_label, t1.submit_line,
        t2.acct AS assoc_acct, t2.lft AS assoc_lft, t2.`user` AS assoc_user
        """;

    /// <summary>The reservation the job ran in (or was submitted into), as the reference joins resv.</summary>
    private const string ReservationName = """
        IF(t1.id_resv = 0, NULL, (SELECT t3.resv_name FROM resv t3 WHERE t3.cluster_id = t1.cluster_id AND t3.id_resv = t1.id_resv
           AND ((t1.time_start <> 0 AND t3.time_start < t1.time_start AND (t3.time_end >= t1.time_start OR t3.time_end = 0))
             OR (t1.time_start = 0 AND ((t3.time_start < t1.time_submit AND (t3.time_end >= t1.time_submit OR t3.time_end = 0))
                                        OR t3.time_start > t1.time_submit)))
         LIMIT 1)) AS resv_name
        """;

    private const string StepColumns = """
        s.job_db_inx AS step_db_inx, s.id_step, s.step_het_comp, s.state, s.exit_code, s.nodes_alloc, s.task_cnt,
        s.task_dist, s.time_start, s.time_end, s.time_suspended, s.kill_requid, s.step_name, s.nodelist,
        s.req_cpufreq_min, s.req_cpufreq, s.req_cpufreq_gov, s.submit_line, s.user_sec, s.user_usec, s.sys_sec,
        s.sys_usec, s.act_cpufreq, s.consumed_energy, s.container, s.tres_alloc, s.tres_usage_in_ave,
        s.tres_usage_in_max, s.tres_usage_in_max_taskid, s.tres_usage_in_max_nodeid, s.tres_usage_in_min,
        s.tres_usage_in_min_taskid, s.tres_usage_in_min_nodeid, s.tres_usage_in_tot, s.tres_usage_out_ave,
        s.tres_usage_out_max, s.tres_usage_out_max_taskid, s.tres_usage_out_max_nodeid, s.tres_usage_out_min,
        s.tres_usage_out_min_taskid, s.tres_usage_out_min_nodeid, s.tres_usage_out_tot
        """;

    /// <summary>The step columns as NULLs, for the queries that return no steps (the mapper splits on step_db_inx).</summary>
    private static readonly string NoStepColumns = string.Join(", ",
        StepColumns.Split(',').Select(column => "NULL AS " + column.Trim().Split(' ')[^1].Replace("s.", "", StringComparison.Ordinal)));

    /// <summary>
    /// The records of a job id that are not its newest within the filter, which the reference puts in
    /// front of the cluster's list (all of them with DUP, else only RESIZING ones). Their rank is found on
    /// a narrow derived table of the job ids that occur more than once (grouped along sacct_order, so the
    /// ranking sorts those few rows rather than all of a million); usually there are none.
    /// </summary>
    public static string Older(JobCondition condition, SqlFilter filter, bool truncate, JobWindow stepWindow, bool withSteps)
    {
        string kept = (condition.Flags & JobConditionFlags.Duplicates) != 0
            ? ""
            : $" AND t1.state = {filter.Bind("@value", JobFilter.StateResizing)}";
        return $"""
            SELECT {Columns(condition, filter, truncate, stepWindow, withSteps)}
            FROM (SELECT t1.job_db_inx, ROW_NUMBER() OVER (PARTITION BY t1.id_job ORDER BY t1.time_submit DESC) AS submit_rank
                  FROM job t1{filter.WhereClause}
                    AND t1.id_job IN (SELECT t1.id_job FROM job t1{filter.WhereClause} GROUP BY t1.id_job HAVING COUNT(*) > 1)) r
            JOIN job t1 ON t1.job_db_inx = r.job_db_inx
            {Joins(condition, filter, stepWindow, withSteps)}
            WHERE r.submit_rank > 1{kept}
            ORDER BY t1.id_job DESC, t1.time_submit, t1.job_db_inx
            """;
    }

    /// <summary>
    /// Every matching record "order by id_job, time_submit desc"; the reader keeps the first of each job
    /// id (the newest), the others come from <see cref="Older"/>.
    /// </summary>
    public static string Newest(JobCondition condition, SqlFilter filter, bool truncate, JobWindow stepWindow, bool withSteps) => $"""
        SELECT {Columns(condition, filter, truncate, stepWindow, withSteps)}
        FROM job t1
        {Joins(condition, filter, stepWindow, withSteps)}
        {filter.WhereClause}
        ORDER BY t1.id_job, t1.time_submit DESC, t1.job_db_inx
        """;

    private static string Columns(JobCondition condition, SqlFilter filter, bool truncate, JobWindow stepWindow, bool withSteps)
    {
        bool script = (condition.Flags & JobConditionFlags.Script) != 0;
        bool env = !script && (condition.Flags & JobConditionFlags.Env) != 0;
        string scriptColumn = script ? "CONVERT(t4.batch_script USING utf8mb4)" : "''";
        string envColumn = env ? "CONVERT(t4.env_vars USING utf8mb4)" : "''";
        // Without NO_TRUNC the suspended time is what of each interval overlaps the window.
        string suspend = truncate
            ? $"""
               (SELECT GROUP_CONCAT(su.time_start, ':', su.time_end ORDER BY su.time_start) FROM suspend su
                WHERE su.job_db_inx = t1.job_db_inx AND su.time_start < {filter.Bind("@value", stepWindow.End)}
                  AND (su.time_end >= {filter.Bind("@value", stepWindow.Start)} OR su.time_end = 0))
               """
            : "NULL";
        return $"{JobColumns}, {ReservationName}, {scriptColumn} AS script, {envColumn} AS env, {suspend} AS suspend_intervals, "
            + (withSteps ? StepColumns : NoStepColumns);
    }

    private static string Joins(JobCondition condition, SqlFilter filter, JobWindow stepWindow, bool withSteps)
    {
        string joins = "LEFT JOIN assoc t2 ON t2.cluster_id = t1.cluster_id AND t2.id_assoc = t1.id_assoc";
        if ((condition.Flags & JobConditionFlags.Script) != 0)
            joins += " LEFT JOIN job_script t4 ON t4.hash_inx = t1.script_hash_inx";
        else if ((condition.Flags & JobConditionFlags.Env) != 0)
            joins += " LEFT JOIN job_env t4 ON t4.hash_inx = t1.env_hash_inx";
        if (withSteps)
            joins += $" LEFT JOIN step s ON s.job_db_inx = t1.job_db_inx AND s.time_start <= {filter.Bind("@value", stepWindow.End)}"
                + $" AND (s.time_end = 0 OR s.time_end >= {filter.Bind("@value", stepWindow.Start)})";
        return joins;
    }
}
