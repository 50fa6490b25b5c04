using Accounting.Dbd.Archive;
using Accounting.Dbd.Rollup;

namespace Accounting.Dbd.Scheduling;

/// <summary>
/// The hourly rollup pass (slurmdbd.c _rollup_handler): from the marks to the last hour ended, then the
/// purges of what was rolled up (as_mysql_rollup.c _process_purge, archive_data set).
/// </summary>
public sealed class UsageRollupJob(UsageRollup rollup, PurgeRunner purge) : IPeriodicJob
{
    public async Task RunAsync(DateTimeOffset scheduledFireTime, CancellationToken cancellation)
    {
        var pass = await rollup.RunAsync(RollupTrigger.Scheduled, cancellation: cancellation).ConfigureAwait(false);
        await purge.AfterRollupAsync(pass, scheduledFireTime.ToUnixTimeSeconds()).ConfigureAwait(false);
    }
}
