using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Storage;

/// <summary>
/// Turns stored job and step rows into the job-rec and step-rec sacct receives, with the values
/// _cluster_get_jobs computes (records spec §8.2, §8.3, §8.6): elapsed and suspended time, times clamped
/// to the window without NO_TRUNC, the association's account and user, NO_VAL corrections.
/// </summary>
public sealed class JobRecordAssembly(string clusterName, bool truncate, JobWindow window, long now)
{
    private const uint StartReceived = 0x10;

    public JobRecord Job(JobRow row, StepChoice choice, List<StepRecord> steps)
    {
        long start = (long)row.TimeStart, end = (long)row.TimeEnd;
        bool ended = end != 0;
        if (ended && start > end)
            start = end;
        long elapsed, suspended = 0;
        if (truncate)
        {
            if (start != 0 && start < window.Start)
                start = window.Start;
            if (end == 0 || end > window.End)
                end = window.End;
            if (start == 0)
                start = end;
            elapsed = end - start;
            foreach (var (from, to) in SuspendIntervals(row.SuspendIntervals))
            {
                long overlap = Math.Min(to, end) - Math.Max(from, start);
                if (from == 0 || overlap < 1)
                    continue;
                elapsed -= overlap;
                suspended += overlap;
            }
        }
        else
        {
            suspended = (long)row.TimeSuspended;
            // While suspended the column holds the suspend start minus the earlier total (0002 comments).
            if (row.State == JobFilter.StateSuspended)
                suspended = now - suspended;
            elapsed = (start == 0 ? 0 : (end == 0 ? now : end) - start) - suspended;
        }
        // Ended without ever starting although its start was received (START_R): cancelled before it ran,
        // which the reference marks with start NO_VAL (records spec §8.2 #40).
        if (start == 0 && end != 0 && (row.Flags & StartReceived) != 0)
            start = SlurmValues.NoVal;

        return new JobRecord
        {
            Account = NonEmpty(row.AssocAcct) ?? NonEmpty(row.Account),
            AdminComment = row.AdminComment,
            AllocNodes = row.NodesAlloc,
            ArrayJobId = row.IdArrayJob,
            ArrayMaxTasks = row.ArrayMaxTasks,
            ArrayTaskId = row.IdArrayJob == 0 && row.IdArrayTask == 0 ? SlurmValues.NoVal : row.IdArrayTask,
            ArrayTaskString = NonEmpty(row.ArrayTaskStr),
            AssocId = row.IdAssoc,
            BlockId = row.IdBlock,
            Cluster = clusterName,
            Constraints = row.Constraints,
            Container = row.Container,
            DbIndex = row.JobDbInx,
            DerivedExitCode = row.DerivedEc,
            DerivedExitString = row.DerivedEs,
            Elapsed = elapsed < 0 || elapsed > int.MaxValue ? 0 : (uint)elapsed,
            Eligible = (long)row.TimeEligible,
            End = end,
            Env = row.Env,
            ExitCode = row.ExitCode,
            Flags = row.Flags,
            Gid = row.IdGroup,
            JobId = row.IdJob,
            JobName = row.JobName,
            Lft = row.AssocLft is int lft ? (uint)lft : SlurmValues.NoVal,
            McsLabel = row.McsLabel ?? "",
            Nodes = row.Nodelist is null or "(null)" ? "(unknown)" : row.Nodelist,
            HetJobId = row.HetJobId,
            HetJobOffset = row.HetJobId == 0 && row.HetJobOffset == 0 ? SlurmValues.NoVal : row.HetJobOffset,
            Partition = row.Partition,
            Priority = row.Priority,
            QosId = row.IdQos,
            ReqCpus = row.CpusReq,
            ReqMem = row.MemReq,
            RequestingUid = row.KillRequid ?? SlurmValues.Infinite,
            ReservationName = NonEmpty(row.ResvName),
            ReservationId = row.IdResv,
            Script = row.Script,
            ShowFull = choice.ShowFull ? 1u : 0u,
            Start = start,
            State = row.State,
            StateReasonPrev = row.StateReasonPrev,
            Steps = steps,
            Submit = (long)row.TimeSubmit,
            SubmitLine = row.SubmitLine,
            Suspended = (uint)suspended,
            SystemComment = row.SystemComment,
            Timelimit = row.Timelimit,
            TresAllocString = row.TresAlloc,
            TresReqString = row.TresReq,
            Uid = row.IdUser,
            User = row.AssocUser,
            Wckey = row.Wckey ?? "",
            WckeyId = row.IdWckey,
            WorkDir = row.WorkDir,
        };
    }

    /// <summary>A step of <paramref name="job"/>; open steps of an ended job take the job's end and state.</summary>
    public StepRecord Step(StepRow row, JobRow job)
    {
        long start = (long)row.TimeStart, end = (long)row.TimeEnd;
        ushort state = row.State;
        if (end == 0 && job.TimeEnd != 0)
        {
            end = JobEnd(job);
            state = (ushort)job.State;
        }
        if (truncate && window.Start != 0)
        {
            if (start != 0 && start < window.Start)
                start = window.Start;
            if (start == 0 && end != 0)
                start = end;
            if (end == 0 || end > window.End)
                end = window.End;
            if (start != 0 && end != 0 && start > end)
                start = end = 0;
        }
        long suspended = (long)row.TimeSuspended;
        if (state == JobFilter.StateSuspended)
            suspended = now - suspended;
        long elapsed = (start == 0 ? 0 : (end == 0 ? now : end) - start) - suspended;
        return new StepRecord
        {
            Container = row.Container,
            Elapsed = elapsed < 0 || elapsed > int.MaxValue ? 0 : (uint)elapsed,
            End = end,
            ExitCode = (uint)row.ExitCode,
            NodeCount = row.NodesAlloc,
            Nodes = row.Nodelist,
            TaskCount = row.TaskCnt,
            ReqCpuFreqMin = row.ReqCpufreqMin,
            ReqCpuFreqMax = row.ReqCpufreq,
            ReqCpuFreqGov = row.ReqCpufreqGov,
            RequestingUid = row.KillRequid ?? SlurmValues.Infinite,
            Stats = new StepStatistics
            {
                ActCpuFreq = row.ActCpufreq,
                ConsumedEnergy = row.ConsumedEnergy,
                TresUsageInAve = row.TresUsageInAve,
                TresUsageInMax = row.TresUsageInMax,
                TresUsageInMaxNodeId = row.TresUsageInMaxNodeid,
                TresUsageInMaxTaskId = row.TresUsageInMaxTaskid,
                TresUsageInMin = row.TresUsageInMin,
                TresUsageInMinNodeId = row.TresUsageInMinNodeid,
                TresUsageInMinTaskId = row.TresUsageInMinTaskid,
                TresUsageInTot = row.TresUsageInTot,
                TresUsageOutAve = row.TresUsageOutAve,
                TresUsageOutMax = row.TresUsageOutMax,
                TresUsageOutMaxNodeId = row.TresUsageOutMaxNodeid,
                TresUsageOutMaxTaskId = row.TresUsageOutMaxTaskid,
                TresUsageOutMin = row.TresUsageOutMin,
                TresUsageOutMinNodeId = row.TresUsageOutMinNodeid,
                TresUsageOutMinTaskId = row.TresUsageOutMinTaskid,
                TresUsageOutTot = row.TresUsageOutTot,
            },
            Start = start,
            State = state,
            StepId = new SlurmStepId(job.IdJob, (uint)row.IdStep, row.StepHetComp),
            StepName = row.StepName,
            SubmitLine = row.SubmitLine,
            Suspended = (uint)suspended,
            SysCpuSec = row.SysSec,
            SysCpuUsec = row.SysUsec,
            TaskDist = row.TaskDist,
            TotCpuSec = row.UserSec + row.SysSec,
            TotCpuUsec = row.UserUsec + row.SysUsec,
            TresAllocString = row.TresAlloc,
            UserCpuSec = row.UserSec,
            UserCpuUsec = row.UserUsec,
        };
    }

    /// <summary>The job end the job record carries, which an open step of an ended job takes over.</summary>
    private long JobEnd(JobRow job)
    {
        long end = (long)job.TimeEnd;
        return truncate && (end == 0 || end > window.End) ? window.End : end;
    }

    private static IEnumerable<(long From, long To)> SuspendIntervals(string? text)
    {
        if (string.IsNullOrEmpty(text))
            yield break;
        foreach (string interval in text.Split(','))
        {
            int colon = interval.IndexOf(':');
            yield return (long.Parse(interval.AsSpan(0, colon)), long.Parse(interval.AsSpan(colon + 1)));
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

}
