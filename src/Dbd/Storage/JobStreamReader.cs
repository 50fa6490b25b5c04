using Accounting.Model.Records;

namespace Accounting.Dbd.Storage;

/// <summary>
/// Reads job rows joined with their step rows unbuffered and emits one job record per job as soon as its
/// last step row has passed, keeping only the steps the step list asks for and, with used_nodes
/// (sacct -N), only jobs and steps that ran on one of those nodes. The statement orders jobs only (an
/// index gives that order, so MariaDB sorts nothing); each job's few steps are put in key order here.
/// Columns are read by ordinal from the data reader, and a job's columns only on its first row.
/// </summary>
public sealed class JobStreamReader(JobRecordAssembly assembly, IReadOnlyList<SelectedStep> selected, IReadOnlySet<string>? usedNodes,
    Action<JobRecord> emit)
{
    /// <param name="newestOnly">Keep only the first record of each job id, as rows come newest first.</param>
    public void Read(SqlScope scope, string sql, SqlFilter filter, bool newestOnly)
    {
        JobRow? current = null;
        ulong? ignored = null;
        uint? lastJobId = null;
        StepChoice choice = StepChoice.All;
        var steps = new List<StepRow>();
        using var command = filter.Command(scope, sql);
        // Binary rows: a million jobs' numbers arrive as bytes instead of text parsed per column.
        command.Prepare();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ulong jobDbInx = reader.GetUInt64(0);
            if (jobDbInx == ignored)
                continue;
            if (current?.JobDbInx != jobDbInx)
            {
                if (current is not null)
                    Emit(current, choice, steps);
                current = null;
                var job = JobRow.Read(reader);
                // As in the reference, a newest record skipped for its nodes still hides the older ones.
                bool older = newestOnly && lastJobId == job.IdJob;
                lastJobId = job.IdJob;
                if (older || !RanOnUsedNodes(job.Nodelist))
                {
                    ignored = job.JobDbInx;
                    continue;
                }
                current = job;
                steps = [];
                choice = selected.Count == 0 ? StepChoice.All
                    : JobSelection.StepsOf(selected, job.IdJob, job.HetJobId, job.IdArrayJob, job.IdArrayTask, job.HetJobOffset);
            }
            var step = StepRow.Read(reader, JobRow.FieldCount);
            if (step is not null && choice.Includes(step.IdStep) && RanOnUsedNodes(step.Nodelist))
                steps.Add(step);
        }
        if (current is not null)
            Emit(current, choice, steps);
    }

    /// <summary>Steps in the step table's key order: batch (-5) and extern (-4) before step 0, then het components.</summary>
    private void Emit(JobRow job, StepChoice choice, List<StepRow> steps)
    {
        steps.Sort((a, b) => a.IdStep != b.IdStep ? a.IdStep.CompareTo(b.IdStep) : a.StepHetComp.CompareTo(b.StepHetComp));
        emit(assembly.Job(job, choice, steps.ConvertAll(step => assembly.Step(step, job))));
    }

    private bool RanOnUsedNodes(string? nodes) => usedNodes is null || HostList.Expand(nodes).Any(usedNodes.Contains);
}
