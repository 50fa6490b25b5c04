using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Storage;

/// <summary>
/// The step_list of a job condition (sacct -j; records spec §8.1 #20, §8.6): which jobs it selects and,
/// for each returned job, which of its steps. Entries with job id 0 are dropped as the reference decoder
/// drops them; a list left empty counts as absent.
/// </summary>
public static class JobSelection
{
    public static List<SelectedStep> Entries(JobCondition condition) =>
        condition.StepList?.Where(step => step.JobId != 0).ToList() ?? [];

    public static bool HasSteps(JobCondition condition) => condition.StepList?.Any(step => step.JobId != 0) == true;

    /// <summary>
    /// _setup_job_cond_selected_steps: plain ids match the job id or the het job leader (all components
    /// of a het job with WHOLE_HETJOB, the id alone with NO_WHOLE_HETJOB) and the array job id; array
    /// tasks match (array job, task); het offsets match (leader, offset), or the whole het job.
    /// </summary>
    public static void AddTo(SqlFilter filter, JobCondition condition)
    {
        var entries = Entries(condition);
        if (entries.Count == 0)
            return;
        var jobIds = entries.Where(e => e.ArrayTaskId == SlurmValues.NoVal && e.HetJobOffset == SlurmValues.NoVal)
            .Select(e => e.JobId).ToList();
        var hetOffsets = entries.Where(e => e.ArrayTaskId == SlurmValues.NoVal && e.HetJobOffset != SlurmValues.NoVal).ToList();
        var arrayTasks = entries.Where(e => e.ArrayTaskId != SlurmValues.NoVal).ToList();
        var alternatives = new List<string>();
        if (jobIds.Count > 0)
        {
            if ((condition.Flags & JobConditionFlags.WholeHetJob) != 0)
                alternatives.Add(filter.Bind("t1.id_job IN @value", jobIds) + " OR t1.het_job_id IN (SELECT t5.het_job_id FROM job t5 "
                    + "WHERE t5.cluster_id = t1.cluster_id AND " + filter.Bind("t5.id_job IN @value", jobIds) + " AND t5.het_job_id <> 0)");
            else if ((condition.Flags & JobConditionFlags.NoWholeHetJob) != 0)
                alternatives.Add(filter.Bind("t1.id_job IN @value", jobIds));
            else
                alternatives.Add(filter.Bind("t1.id_job IN @value", jobIds) + " OR " + filter.Bind("t1.het_job_id IN @value", jobIds));
            alternatives.Add(filter.Bind("t1.id_array_job IN @value", jobIds));
        }
        if (hetOffsets.Count > 0)
        {
            var leaders = hetOffsets.Select(e => e.JobId).ToList();
            alternatives.Add((condition.Flags & JobConditionFlags.WholeHetJob) != 0
                ? filter.Bind("t1.het_job_id IN @value", leaders)
                : "(" + filter.Bind("t1.het_job_id IN @value", leaders) + " AND "
                    + filter.Bind("t1.het_job_offset IN @value", hetOffsets.Select(e => e.HetJobOffset).ToList()) + ")");
        }
        foreach (var task in arrayTasks)
            alternatives.Add("(" + filter.Bind("t1.id_array_job = @value", task.JobId) + " AND " + filter.Bind("t1.id_array_task = @value", task.ArrayTaskId) + ")");
        filter.Where("(" + string.Join(" OR ", alternatives) + ")");
    }

    /// <summary>
    /// The steps of one returned job that the step_list asks for (the step filter of _cluster_get_jobs):
    /// entries naming the job with a step add that step id and clear show_full; the first entry naming it
    /// without a step sets show_full and ends the scan, keeping the ids collected before it.
    /// </summary>
    public static StepChoice StepsOf(IReadOnlyList<SelectedStep> entries, uint jobId, uint hetJobId, uint arrayJobId, uint arrayTaskId, uint hetJobOffset)
    {
        HashSet<int>? steps = null;
        foreach (var entry in entries)
        {
            if (entry.JobId != jobId && entry.JobId != hetJobId && entry.JobId != arrayJobId)
                continue;
            if (entry.ArrayTaskId != SlurmValues.NoVal && entry.ArrayTaskId != arrayTaskId)
                continue;
            if (entry.HetJobOffset != SlurmValues.NoVal && entry.HetJobOffset != hetJobOffset)
                continue;
            if (entry.StepId == SlurmValues.NoVal)
                return new StepChoice(steps, true);
            (steps ??= []).Add((int)entry.StepId);
        }
        return new StepChoice(steps, steps is null);
    }
}

/// <summary>Which steps of a job to return (null: all) and the job record's show_full.</summary>
public sealed record StepChoice(HashSet<int>? Only, bool ShowFull)
{
    public static readonly StepChoice All = new(null, true);

    public bool Includes(int stepId) => Only is null || Only.Contains(stepId);
}
