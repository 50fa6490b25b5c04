using Accounting.Dbd.Configuration;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Accounting.Dbd.Archive;

/// <summary>
/// The Quartz job that purges after a rollup: its data names the unit ("hours", "days" or "months") of
/// the rollup it follows, and the fire time is the "now" the purge ends are computed from, so a run
/// that fires late after downtime purges what was due then, as the reference does after each rollup.
/// One run at a time: purges of the same tables must not race each other.
/// </summary>
[DisallowConcurrentExecution]
public sealed class PurgeJob(PurgeRunner runner, ILogger<PurgeJob> log) : IJob
{
    public const string UnitKey = "unit";

    /// <summary>Optional: the one cluster to purge; without it every cluster is purged.</summary>
    public const string ClusterKey = "cluster";

    public static JobDataMap DataFor(PurgeUnit unit, string? cluster = null)
    {
        var data = new JobDataMap { [UnitKey] = unit.ToString() };
        if (cluster is not null)
            data[ClusterKey] = cluster;
        return data;
    }

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<PurgeUnit>(context.MergedJobDataMap.GetString(UnitKey), out var unit))
        {
            log.LogError("purge job {Key} without a valid {UnitKey}", context.JobDetail.Key, UnitKey);
            return;
        }
        long now = (context.ScheduledFireTimeUtc ?? context.FireTimeUtc).ToUnixTimeSeconds();
        var outcome = await runner.RunAsync(now, unit, context.MergedJobDataMap.GetString(ClusterKey)).ConfigureAwait(false);
        int removed = outcome.Chunks.Sum(chunk => chunk.Deleted);
        if (outcome.ReturnCode != 0)
            log.LogError("purge after the {Unit} rollup failed after removing {Removed} rows", unit, removed);
        else if (removed > 0)
            log.LogInformation("purge after the {Unit} rollup removed {Removed} rows in {Chunks} chunks", unit, removed, outcome.Chunks.Count);
    }
}
