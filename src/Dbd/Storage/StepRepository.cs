using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Storage;

/// <summary>The step table as DBD_STEP_START and DBD_STEP_COMPLETE write it (wire spec §9.8, §10.2).</summary>
public sealed class StepRepository
{
    private const uint StateComplete = 3;
    private const uint StateCancelled = 4;
    private const uint StateFailed = 5;
    private const uint StateOutOfMemory = 11;

    /// <summary>SIG_OOM: the exit status slurmstepd reports for a step killed by the OOM killer.</summary>
    private const uint SignalOutOfMemory = 253;

    /// <summary>
    /// The job row a step message names: its db_index, or, with none given, the row of (cluster, job id,
    /// submit time) found inside the statement, so the common case is one round trip.
    /// </summary>
    private static (string Source, string Where) JobTarget(ulong? jobIndex) => jobIndex is null
        ? ("SELECT job_db_inx, {0} FROM job WHERE cluster_id = @ClusterId AND id_job = @JobId AND time_submit = @SubmitTime",
            "job_db_inx = (SELECT job_db_inx FROM job WHERE cluster_id = @ClusterId AND id_job = @JobId AND time_submit = @SubmitTime)")
        : ("VALUES (@JobIndex, {0})", "job_db_inx = @JobIndex");

    /// <summary>
    /// as_mysql_step_start: insert or refresh the step row; a repeated start re-opens the step (time_end 0,
    /// RUNNING) until its complete is repeated too. The step id is stored as a signed int (batch = -5).
    /// With <paramref name="jobIndex"/> null the job is the row of the step's identity; false when there is none.
    /// </summary>
    public bool Start(SqlScope scope, uint clusterId, ulong? jobIndex, StepStartMessage step) =>
        StartStatement(clusterId, jobIndex, step).Execute(scope) > 0;

    /// <summary>The statement of <see cref="Start"/>; it matches no row when the job is missing.</summary>
    public Statement StartStatement(uint clusterId, ulong? jobIndex, StepStartMessage step)
    {
        const string Values = """
            @ClusterId, @StepId, @HetComponent, @StartTime, @Name, @Running, @Tres,
                @NodeCount, @Tasks, @Nodes, @NodeIndexes, @TaskDist, @FreqMax, @FreqMin, @FreqGov, @SubmitLine, @Container
            """;
        string source = string.Format(JobTarget(jobIndex).Source, Values);
        return new Statement($"""
            INSERT INTO step (job_db_inx, cluster_id, id_step, step_het_comp, time_start, step_name, state, tres_alloc,
                nodes_alloc, task_cnt, nodelist, node_inx, task_dist, req_cpufreq, req_cpufreq_min, req_cpufreq_gov,
                submit_line, container)
            {source}
            ON DUPLICATE KEY UPDATE step.nodes_alloc = @NodeCount, step.task_cnt = @Tasks, step.time_end = 0,
                step.state = @Running, step.nodelist = @Nodes, step.node_inx = @NodeIndexes, step.task_dist = @TaskDist,
                step.req_cpufreq = @FreqMax, step.req_cpufreq_min = @FreqMin, step.req_cpufreq_gov = @FreqGov,
                step.tres_alloc = @Tres, step.submit_line = COALESCE(@SubmitLine, step.submit_line),
                step.container = COALESCE(@Container, step.container)
            """, new
        {
            JobIndex = jobIndex,
            ClusterId = clusterId,
            step.StepId.JobId,
            SubmitTime = step.JobSubmitTime,
            StepId = unchecked((int)step.StepId.StepId),
            HetComponent = step.StepId.StepHetComponent,
            step.StartTime,
            Name = step.Name ?? "",
            Running = JobRepository.StateRunning,
            Tres = step.TresAllocString ?? "",
            step.NodeCount,
            Tasks = step.TotalTasks,
            Nodes = step.Nodes ?? "",
            step.NodeIndexes,
            step.TaskDist,
            FreqMax = step.ReqCpuFreqMax,
            FreqMin = step.ReqCpuFreqMin,
            FreqGov = step.ReqCpuFreqGov,
            step.SubmitLine,
            step.Container,
        });
    }

    /// <summary>
    /// as_mysql_step_complete: end time, a final state (derived from the exit status while the state is below
    /// COMPLETE), exit code, kill_requid and the usage; the job's TRES when the message recalculated them.
    /// With <paramref name="jobIndex"/> null the job is the row of the step's identity; false when that job or
    /// its step is missing (nothing is written then).
    /// </summary>
    public bool Complete(SqlScope scope, uint clusterId, ulong? jobIndex, StepCompleteMessage step)
    {
        var (update, jobTres) = CompleteStatements(clusterId, jobIndex, step);
        if (update.Execute(scope) == 0 && jobIndex is null)
            return false;
        jobTres?.Execute(scope);
        return true;
    }

    /// <summary>
    /// The statements of <see cref="Complete"/>: the step's update (it matches no row when the job or step is
    /// missing), then, when the message recalculated them, the job's TRES.
    /// </summary>
    public (Statement Update, Statement? JobTres) CompleteStatements(uint clusterId, ulong? jobIndex, StepCompleteMessage step)
    {
        uint state = step.State & JobRepository.StateBase;
        uint requid = step.RequestingUid;
        if (state < StateComplete)
        {
            if (step.ExitCode == SignalOutOfMemory)
                state = StateOutOfMemory;
            else if (Signaled(step.ExitCode))
                state = StateCancelled;
            else if (step.ExitCode != 0)
                state = StateFailed;
            else
            {
                state = StateComplete;
                requid = SlurmValues.Infinite;
            }
        }
        var usage = Usage.From(step.Accounting, step.TotalTasks);
        var target = new { JobIndex = jobIndex, ClusterId = clusterId, step.StepId.JobId, SubmitTime = step.JobSubmitTime };
        string where = JobTarget(jobIndex).Where;
        var update = new Statement($"""
            UPDATE step SET time_end = @EndTime, state = @State, exit_code = @ExitCode, kill_requid = @KillRequid,
                user_sec = @UserSec, user_usec = @UserUsec, sys_sec = @SysSec, sys_usec = @SysUsec,
                act_cpufreq = @ActCpuFreq, consumed_energy = @ConsumedEnergy,
                tres_usage_in_ave = @InAve, tres_usage_out_ave = @OutAve,
                tres_usage_in_max = @InMax, tres_usage_in_max_taskid = @InMaxTaskId, tres_usage_in_max_nodeid = @InMaxNodeId,
                tres_usage_in_min = @InMin, tres_usage_in_min_taskid = @InMinTaskId, tres_usage_in_min_nodeid = @InMinNodeId,
                tres_usage_in_tot = @InTot,
                tres_usage_out_max = @OutMax, tres_usage_out_max_taskid = @OutMaxTaskId, tres_usage_out_max_nodeid = @OutMaxNodeId,
                tres_usage_out_min = @OutMin, tres_usage_out_min_taskid = @OutMinTaskId, tres_usage_out_min_nodeid = @OutMinNodeId,
                tres_usage_out_tot = @OutTot
            WHERE {where} AND id_step = @StepId AND step_het_comp = @HetComponent
            """, new
        {
            step.EndTime, State = state, ExitCode = unchecked((int)step.ExitCode),
            KillRequid = requid == SlurmValues.Infinite ? (uint?)null : requid,
            usage.UserSec, usage.UserUsec, usage.SysSec, usage.SysUsec, usage.ActCpuFreq, usage.ConsumedEnergy,
            usage.InAve, usage.OutAve, usage.InMax, usage.InMaxTaskId, usage.InMaxNodeId, usage.InMin, usage.InMinTaskId,
            usage.InMinNodeId, usage.InTot, usage.OutMax, usage.OutMaxTaskId, usage.OutMaxNodeId, usage.OutMin,
            usage.OutMinTaskId, usage.OutMinNodeId, usage.OutTot,
            target.JobIndex, target.ClusterId, target.JobId, target.SubmitTime,
            StepId = unchecked((int)step.StepId.StepId), HetComponent = step.StepId.StepHetComponent,
        });
        if (step.JobTresAllocString is not { } tres)
            return (update, null);
        return (update, new Statement(jobIndex is null
            ? "UPDATE job SET tres_alloc = @Tres WHERE cluster_id = @ClusterId AND id_job = @JobId AND time_submit = @SubmitTime"
            : "UPDATE job SET tres_alloc = @Tres WHERE job_db_inx = @JobIndex",
            new { target.JobIndex, target.ClusterId, target.JobId, target.SubmitTime, Tres = tres }));
    }

    /// <summary>WIFSIGNALED: the low 7 bits hold a signal number (neither 0 = exited nor 0x7f = stopped).</summary>
    private static bool Signaled(uint status) => (status & 0x7f) != 0 && (status & 0x7f) != 0x7f;

    /// <summary>The step columns made from jobacct (wire spec §9.8.2); all zero and empty without one.</summary>
    private sealed record Usage(
        ulong UserSec, uint UserUsec, ulong SysSec, uint SysUsec, uint ActCpuFreq, ulong ConsumedEnergy,
        string InAve, string OutAve, string InMax, string InMaxTaskId, string InMaxNodeId, string InMin,
        string InMinTaskId, string InMinNodeId, string InTot, string OutMax, string OutMaxTaskId, string OutMaxNodeId,
        string OutMin, string OutMinTaskId, string OutMinNodeId, string OutTot)
    {
        public static Usage From(JobAccounting? accounting, uint tasks)
        {
            if (accounting is null)
                return new Usage(0, 0, 0, 0, 0, 0, "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "");
            var ids = accounting.TresIds;
            string Build(ulong[] values, uint divisor) => TresUsageString(ids, values, divisor);
            return new Usage(accounting.UserCpuSec, accounting.UserCpuUsec, accounting.SysCpuSec, accounting.SysCpuUsec,
                accounting.ActCpuFreq, accounting.ConsumedEnergy,
                Build(accounting.TresUsageInTot, tasks), Build(accounting.TresUsageOutTot, tasks),
                Build(accounting.TresUsageInMax, 1), Build(accounting.TresUsageInMaxTaskId, 1), Build(accounting.TresUsageInMaxNodeId, 1),
                Build(accounting.TresUsageInMin, 1), Build(accounting.TresUsageInMinTaskId, 1), Build(accounting.TresUsageInMinNodeId, 1),
                Build(accounting.TresUsageInTot, 1),
                Build(accounting.TresUsageOutMax, 1), Build(accounting.TresUsageOutMaxTaskId, 1), Build(accounting.TresUsageOutMaxNodeId, 1),
                Build(accounting.TresUsageOutMin, 1), Build(accounting.TresUsageOutMinTaskId, 1), Build(accounting.TresUsageOutMinNodeId, 1),
                Build(accounting.TresUsageOutTot, 1));
        }
    }

    /// <summary>
    /// _average_tres_usage: "id=value,..." over the entries that are set (not INFINITE64), each divided by
    /// <paramref name="divisor"/>; empty with no tasks.
    /// </summary>
    public static string TresUsageString(uint[] ids, ulong[] values, uint divisor)
    {
        if (divisor == 0)
            return "";
        int count = Math.Min(ids.Length, values.Length);
        return string.Join(",", Enumerable.Range(0, count)
            .Where(i => values[i] != SlurmValues.Infinite64)
            .Select(i => $"{ids[i]}={values[i] / divisor}"));
    }
}
