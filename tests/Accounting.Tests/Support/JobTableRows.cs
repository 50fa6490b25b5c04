using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;
using MySql.Data.MySqlClient;

namespace Accounting.Tests.Support;

/// <summary>
/// Writes job and step rows straight into the 0002 tables the way the job start/complete and step
/// handlers store them (wire spec §10.2), from the job records a real slurmdbd sent: what is computed on
/// the way out (elapsed, the association's account and user, tot_cpu) is not stored, special step ids
/// become negative, a NULL text the reference sends is a NULL column, and "" where the column is NOT NULL.
/// </summary>
public static class JobTableRows
{
    /// <summary>
    /// A connection to a test daemon's database that really closes when disposed: one pool per database
    /// would otherwise keep it open, and over the suite the shared MariaDB runs out of connections.
    /// </summary>
    public static MySqlConnection Open(SharedServices services, string database)
    {
        var connection = services.MariaDb.Connect(database);
        MySqlConnection.ClearPool(connection);
        return connection;
    }

    public static uint ClusterId(MySqlConnection connection, string cluster) =>
        connection.ExecuteScalar<uint>("SELECT id FROM cluster WHERE name = @cluster", new { cluster });

    /// <summary>A db_index of 0 lets AUTO_INCREMENT number the job.</summary>
    public static void Insert(MySqlConnection connection, uint clusterId, JobRecord job)
    {
        ulong dbIndex = connection.ExecuteScalar<ulong>("""
            INSERT INTO job (job_db_inx, cluster_id, mod_time, account, admin_comment, array_task_str, array_max_tasks,
              constraints, container, cpus_req, derived_ec, derived_es, exit_code, flags, job_name, id_assoc, id_array_job,
              id_array_task, id_block, id_job, id_qos, id_resv, id_wckey, id_user, id_group, het_job_id, het_job_offset,
              kill_requid, state_reason_prev, mcs_label, mem_req, nodelist, nodes_alloc, `partition`, priority, state,
              timelimit, time_submit, time_eligible, time_start, time_end, time_suspended, wckey, work_dir, submit_line,
              system_comment, tres_alloc, tres_req)
            VALUES (@DbIndex, @ClusterId, @Submit, @Account, @AdminComment, @ArrayTaskString, @ArrayMaxTasks,
              @Constraints, @Container, @ReqCpus, @DerivedExitCode, @DerivedExitString, @ExitCode, @Flags, @JobName, @AssocId, @ArrayJobId,
              @ArrayTaskId, @BlockId, @JobId, @QosId, @ReservationId, @WckeyId, @Uid, @Gid, @HetJobId, @HetJobOffset,
              @KillRequid, @StateReasonPrev, @McsLabel, @ReqMem, @Nodes, @AllocNodes, @Partition, @Priority, @State,
              @Timelimit, @Submit, @Eligible, @Start, @End, @Suspended, @Wckey, @WorkDir, @SubmitLine,
              @SystemComment, @TresAllocString, @TresReqString);
            SELECT LAST_INSERT_ID()
            """, new
        {
            job.DbIndex, ClusterId = clusterId, job.Account, job.AdminComment, job.ArrayTaskString, job.ArrayMaxTasks,
            job.Constraints, job.Container, job.ReqCpus, job.DerivedExitCode, job.DerivedExitString, job.ExitCode, job.Flags,
            JobName = job.JobName ?? "", job.AssocId, job.ArrayJobId, job.ArrayTaskId, job.BlockId, job.JobId, job.QosId, job.ReservationId,
            job.WckeyId, job.Uid, job.Gid, job.HetJobId, job.HetJobOffset,
            KillRequid = job.RequestingUid == SlurmValues.Infinite ? (uint?)null : job.RequestingUid,
            job.StateReasonPrev, job.McsLabel, job.ReqMem, job.Nodes, job.AllocNodes, Partition = job.Partition ?? "", job.Priority, job.State,
            job.Timelimit, job.Submit, job.Eligible, job.Start, job.End, job.Suspended, Wckey = job.Wckey ?? "", WorkDir = job.WorkDir ?? "",
            job.SubmitLine, job.SystemComment, TresAllocString = job.TresAllocString ?? "", TresReqString = job.TresReqString ?? "",
        });
        foreach (var step in job.Steps)
            Insert(connection, clusterId, job.DbIndex == 0 ? dbIndex : job.DbIndex, step);
    }

    public static void Insert(MySqlConnection connection, uint clusterId, ulong jobDbIndex, StepRecord step)
    {
        var stats = step.Stats;
        connection.Execute("""
            INSERT INTO step (job_db_inx, cluster_id, exit_code, id_step, step_het_comp, kill_requid, nodelist, nodes_alloc,
              state, step_name, task_cnt, task_dist, time_start, time_end, time_suspended, user_sec, user_usec, sys_sec,
              sys_usec, act_cpufreq, consumed_energy, container, req_cpufreq_min, req_cpufreq, req_cpufreq_gov, submit_line,
              tres_alloc, tres_usage_in_ave, tres_usage_in_max, tres_usage_in_max_taskid, tres_usage_in_max_nodeid,
              tres_usage_in_min, tres_usage_in_min_taskid, tres_usage_in_min_nodeid, tres_usage_in_tot, tres_usage_out_ave,
              tres_usage_out_max, tres_usage_out_max_taskid, tres_usage_out_max_nodeid, tres_usage_out_min,
              tres_usage_out_min_taskid, tres_usage_out_min_nodeid, tres_usage_out_tot)
            VALUES (@JobDbIndex, @ClusterId, @ExitCode, @StepId, @StepHetComponent, @KillRequid, @Nodes, @NodeCount,
              @State, @StepName, @TaskCount, @TaskDist, @Start, @End, @Suspended, @UserCpuSec, @UserCpuUsec, @SysCpuSec,
              @SysCpuUsec, @ActCpuFreq, @ConsumedEnergy, @Container, @ReqCpuFreqMin, @ReqCpuFreqMax, @ReqCpuFreqGov, @SubmitLine,
              @TresAllocString, @InAve, @InMax, @InMaxTask, @InMaxNode, @InMin, @InMinTask, @InMinNode, @InTot, @OutAve,
              @OutMax, @OutMaxTask, @OutMaxNode, @OutMin, @OutMinTask, @OutMinNode, @OutTot)
            """, new
        {
            JobDbIndex = jobDbIndex, ClusterId = clusterId, ExitCode = (int)step.ExitCode, StepId = (int)step.StepId.StepId,
            step.StepId.StepHetComponent,
            KillRequid = step.RequestingUid == SlurmValues.Infinite ? (uint?)null : step.RequestingUid,
            Nodes = step.Nodes ?? "", step.NodeCount, step.State, StepName = step.StepName ?? "", step.TaskCount, step.TaskDist, step.Start, step.End,
            step.Suspended, step.UserCpuSec, step.UserCpuUsec, step.SysCpuSec, step.SysCpuUsec, stats.ActCpuFreq,
            stats.ConsumedEnergy, step.Container, step.ReqCpuFreqMin, step.ReqCpuFreqMax, step.ReqCpuFreqGov, step.SubmitLine,
            TresAllocString = step.TresAllocString ?? "", InAve = stats.TresUsageInAve ?? "", InMax = stats.TresUsageInMax ?? "", InMaxTask = stats.TresUsageInMaxTaskId ?? "",
            InMaxNode = stats.TresUsageInMaxNodeId ?? "", InMin = stats.TresUsageInMin ?? "", InMinTask = stats.TresUsageInMinTaskId ?? "",
            InMinNode = stats.TresUsageInMinNodeId ?? "", InTot = stats.TresUsageInTot ?? "", OutAve = stats.TresUsageOutAve ?? "",
            OutMax = stats.TresUsageOutMax ?? "", OutMaxTask = stats.TresUsageOutMaxTaskId ?? "", OutMaxNode = stats.TresUsageOutMaxNodeId ?? "",
            OutMin = stats.TresUsageOutMin ?? "", OutMinTask = stats.TresUsageOutMinTaskId ?? "", OutMinNode = stats.TresUsageOutMinNodeId ?? "",
            OutTot = stats.TresUsageOutTot ?? "",
        });
    }

    /// <summary>
    /// The 100,000 synthetic finished jobs of the sacct_100k capture, with the same INSERT … SELECT over
    /// seq_1_to_100000 as shared/anchor/bench.py and the db indexes the real slurmdbd gave them (8 on).
    /// </summary>
    public static void InsertSynthetic(MySqlConnection connection, uint clusterId, int count) =>
        connection.Execute("""
            INSERT INTO job (job_db_inx, cluster_id, mod_time, account, cpus_req, exit_code, flags, job_name, id_assoc, id_job,
              id_qos, id_resv, id_wckey, id_user, id_group, het_job_id, het_job_offset, state_reason_prev, mem_req, nodelist,
              nodes_alloc, node_inx, `partition`, priority, state, timelimit, time_submit, time_eligible, time_start,
              time_end, work_dir, submit_line, tres_alloc, tres_req)
            SELECT 7 + seq, @ClusterId, 1735689600 + seq*300 + 70 + (seq MOD 3600),
                   IF(seq MOD 2 = 0, 'root', 'physics'), 1, IF(seq MOD 10 = 0, 256, 0), 0, 'synth',
                   IF(seq MOD 2 = 0, 2, 4), 2000000 + seq, 1, 0,
                   0, IF(seq MOD 2 = 0, 0, 1000), IF(seq MOD 2 = 0, 0, 1000), 0, 4294967294, 0, 0, 'localhost',
                   1, '0', 'debug', 1, IF(seq MOD 10 = 0, 5, 3), 60,
                   1735689600 + seq*300, 1735689600 + seq*300, 1735689600 + seq*300 + 10,
                   1735689600 + seq*300 + 70 + (seq MOD 3600), '/tmp', 'sbatch --wrap synth',
                   '1=1,2=1000,4=1,5=1', '1=1,2=1000,4=1,5=1'
            FROM seq_1_to_100000 WHERE seq <= @Count
            """, new { ClusterId = clusterId, Count = count }, commandTimeout: 300);
}
