using Accounting.Dbd.Rollup;

namespace Accounting.Dbd.Scheduling;

/// <summary>The hourly rollup pass (slurmdbd.c _rollup_handler): from the marks to the last hour ended.</summary>
public sealed class UsageRollupJob(UsageRollup rollup) : IPeriodicJob
{
    public Task RunAsync(DateTimeOffset scheduledFireTime, CancellationToken cancellation) =>
        rollup.RunAsync(RollupTrigger.Scheduled, cancellation: cancellation);
}
