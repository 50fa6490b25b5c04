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
    /// <summary>The reservation the job ran in (or was submitted into), as the reference joins resv.</summary>
    private const string ReservationName = """
        IF(t1.id_resv = 0, NULL, (SELECT t3.resv_name FROM resv t3 WHERE t3.cluster_id = t1.cluster_id AND t3.id_resv = t1.id_resv
           AND ((t1.time_start <> 0 AND t3.time_start < t1.time_start AND (t3.time_end >= t1.time_start OR t3.time_end = 0))
             OR (t1.time_start = 0 AND ((t3.time_start < t1.time_submit AND (t3.time_end >= t1.time_submit OR t3.time_end = 0))
                                        OR t3.time_start > t1.time_submit)))
         LIMIT 1)) AS resv_name
        """;

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
        // Without NO_TRUNC the suspended time is what of each interval overlaps the window. Only closed
        // intervals of a second or more count (JobRecordAssembly), and each of those leaves time_suspended
        // above 0 (it toggles, JobRepository.Suspend), so a job with 0 there, nearly every job, needs no
        // look-up: that is a sixth of MariaDB's work for a million jobs.
        string suspend = truncate
            ? $"""
               IF(t1.time_suspended = 0, NULL,
                  (SELECT GROUP_CONCAT(su.time_start, ':', su.time_end ORDER BY su.time_start) FROM suspend su
                   WHERE su.job_db_inx = t1.job_db_inx AND su.time_start < {filter.Bind("@value", stepWindow.End)}
                     AND (su.time_end >= {filter.Bind("@value", stepWindow.Start)} OR su.time_end = 0)))
               """
            : "NULL";
        // In JobRow.Read's order; without steps the row simply ends after the job's columns.
        return $"{JobRow.Columns}, {ReservationName}, {scriptColumn} AS script, {envColumn} AS env, {suspend} AS suspend_intervals"
            + (withSteps ? ", " + StepRow.Columns : "");
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
