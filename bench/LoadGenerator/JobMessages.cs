using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Bench.Load;

/// <summary>
/// The four records slurmctld sends for a one-node batch job (wire spec §11.3): start, batch step start,
/// batch step complete with accounting, job complete. Shaped after the captured slurmctld traffic.
/// </summary>
public static class JobMessages
{
    private const uint BatchStep = 0xFFFFFFFB;
    private const uint StateRunning = 1;
    private const uint StateComplete = 3;
    private static readonly uint[] TresIds = [1, 2, 3, 4, 5, 6, 7, 8];

    public static JobStartMessage Start(uint jobId, long submit, ulong dbIndex) => new()
    {
        Account = "root", AllocNodes = 1, AssocId = 2, DbIndex = dbIndex, EligibleTime = submit, JobId = jobId,
        JobState = StateRunning, Name = "loadgen", Nodes = "localhost", NodeIndexes = "0", Partition = "debug",
        Priority = 1, QosId = 1, ReqCpus = 1, StartTime = submit, SubmitLine = "sbatch --wrap true", SubmitTime = submit,
        Timelimit = SlurmValues.Infinite, TresAllocString = "1=1,2=1000,3=18446744073709551614,4=1,5=1",
        TresReqString = "1=1,2=1000,4=1,5=1", Uid = 0, WorkDir = "/tmp",
    };

    public static StepStartMessage StepStart(uint jobId, long submit, ulong dbIndex) => new()
    {
        AssocId = 2, DbIndex = dbIndex, Name = "batch", Nodes = "localhost", NodeIndexes = "0", NodeCount = 1,
        StartTime = submit, JobSubmitTime = submit, StepId = new SlurmStepId(jobId, BatchStep, SlurmValues.NoVal),
        TotalTasks = 1, TresAllocString = "1=1,2=1000,4=1",
    };

    public static StepCompleteMessage StepComplete(uint jobId, long submit, ulong dbIndex) => new()
    {
        AssocId = 2, DbIndex = dbIndex, EndTime = submit + 1, JobSubmitTime = submit, StartTime = submit,
        State = (ushort)StateComplete, StepId = new SlurmStepId(jobId, BatchStep, SlurmValues.NoVal), TotalTasks = 1,
        Accounting = new JobAccounting
        {
            UserCpuUsec = 1000, SysCpuUsec = 500, TresIds = TresIds,
            TresUsageInMax = Filled(4096), TresUsageInMaxNodeId = Filled(0), TresUsageInMaxTaskId = Filled(0),
            TresUsageInMin = Filled(4096), TresUsageInMinNodeId = Filled(0), TresUsageInMinTaskId = Filled(0),
            TresUsageInTot = Filled(4096), TresUsageOutMax = Filled(0), TresUsageOutMaxNodeId = Filled(0),
            TresUsageOutMaxTaskId = Filled(0), TresUsageOutMin = Filled(0), TresUsageOutMinNodeId = Filled(0),
            TresUsageOutMinTaskId = Filled(0), TresUsageOutTot = Filled(0),
        },
    };

    public static JobCompleteMessage Complete(uint jobId, long submit, ulong dbIndex) => new()
    {
        AssocId = 2, DbIndex = dbIndex, EndTime = submit + 1, JobId = jobId, JobState = StateComplete,
        Nodes = "localhost", StartTime = submit, SubmitTime = submit, TresAllocString = "1=1,2=1000,4=1,5=1",
    };

    private static ulong[] Filled(ulong value) => Enumerable.Repeat(value, TresIds.Length).ToArray();
}
