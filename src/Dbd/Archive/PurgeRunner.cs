using Accounting.Dbd.Configuration;
using Accounting.Dbd.Hosting;
using Accounting.Dbd.Rollup;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Archive;

/// <summary>
/// The scheduled purge (as_mysql_rollup.c _process_purge): after the hourly rollup the settings counted
/// in hours run, after the daily one those in days, after the monthly one those in months, each
/// archiving first where its Archive* key is set. Also fills an on-demand DBD_ARCHIVE_DUMP condition
/// from slurmdbd.conf (proc_req.c _archive_dump).
/// </summary>
public sealed class PurgeRunner(ArchivePurge purge, ConfigHolder config, ILogger<PurgeRunner> log)
{
    private static readonly PurgeUnit[] UnitsBySlot = [PurgeUnit.Hours, PurgeUnit.Days, PurgeUnit.Months];

    /// <summary>
    /// After a rollup pass that archives (the scheduled one, or sacctmgr roll ... archive): for every cluster,
    /// the purges of each unit whose rollup advanced, hours before days before months. A pass that failed
    /// anywhere purges nothing, so no record goes before it is rolled up; the next pass catches up.
    /// </summary>
    public async Task AfterRollupAsync(RollupPass pass, long now)
    {
        if (!pass.Ok)
        {
            log.LogError("rollup failed, purge waits for the next rollup");
            return;
        }
        foreach (var cluster in pass.Clusters)
        {
            for (int slot = 0; slot < UnitsBySlot.Length; slot++)
            {
                if (cluster.Periods[slot] == 0)
                    continue;
                var outcome = await RunAsync(now, UnitsBySlot[slot], cluster.ClusterName).ConfigureAwait(false);
                int removed = outcome.Chunks.Sum(chunk => chunk.Deleted);
                if (outcome.ReturnCode != 0)
                {
                    log.LogError("purge of {Cluster} after its {Unit} rollup failed after removing {Removed} rows", cluster.ClusterName, UnitsBySlot[slot], removed);
                    break;
                }
                if (removed > 0)
                    log.LogInformation("purge of {Cluster} after its {Unit} rollup removed {Removed} rows in {Chunks} chunks",
                        cluster.ClusterName, UnitsBySlot[slot], removed, outcome.Chunks.Count);
            }
        }
    }

    /// <summary>
    /// Purge what is due after the rollup of <paramref name="unit"/>, for one cluster (the reference purges
    /// each cluster right after its rollup) or, without one, for all.
    /// </summary>
    public Task<PurgeOutcome> RunAsync(long now, PurgeUnit unit, string? cluster = null)
    {
        var condition = Scheduled(config.Current, unit);
        if (cluster is not null)
            condition = condition with { JobCondition = new JobCondition { ClusterList = [cluster] } };
        return purge.RunAsync(condition, now);
    }

    /// <summary>On demand (sacctmgr archive dump): what the request leaves unset comes from slurmdbd.conf.</summary>
    public Task<PurgeOutcome> DumpAsync(ArchiveCondition request, long now) => purge.RunAsync(WithDefaults(request, config.Current), now);

    public static ArchiveCondition Scheduled(DbdConfig conf, PurgeUnit unit)
    {
        uint Due(PurgePeriod? period, bool archive) =>
            period?.Unit == unit ? PurgeRule.FromConfig(period, archive) : SlurmValues.NoVal;
        return new ArchiveCondition
        {
            ArchiveDir = conf.ArchiveDir,
            ArchiveScript = conf.ArchiveScript,
            PurgeEvent = Due(conf.PurgeEventAfter, conf.ArchiveEvents),
            PurgeJob = Due(conf.PurgeJobAfter, conf.ArchiveJobs),
            PurgeResv = Due(conf.PurgeResvAfter, conf.ArchiveResvs),
            PurgeStep = Due(conf.PurgeStepAfter, conf.ArchiveSteps),
            PurgeSuspend = Due(conf.PurgeSuspendAfter, conf.ArchiveSuspend),
            PurgeTxn = Due(conf.PurgeTXNAfter, conf.ArchiveTXN),
            PurgeUsage = Due(conf.PurgeUsageAfter, conf.ArchiveUsage),
        };
    }

    public static ArchiveCondition WithDefaults(ArchiveCondition request, DbdConfig conf)
    {
        static uint Or(uint requested, PurgePeriod? period, bool archive) =>
            requested == SlurmValues.NoVal ? PurgeRule.FromConfig(period, archive) : requested;
        return request with
        {
            ArchiveDir = request.ArchiveDir ?? conf.ArchiveDir,
            ArchiveScript = request.ArchiveScript ?? conf.ArchiveScript,
            PurgeEvent = Or(request.PurgeEvent, conf.PurgeEventAfter, conf.ArchiveEvents),
            PurgeJob = Or(request.PurgeJob, conf.PurgeJobAfter, conf.ArchiveJobs),
            PurgeResv = Or(request.PurgeResv, conf.PurgeResvAfter, conf.ArchiveResvs),
            PurgeStep = Or(request.PurgeStep, conf.PurgeStepAfter, conf.ArchiveSteps),
            PurgeSuspend = Or(request.PurgeSuspend, conf.PurgeSuspendAfter, conf.ArchiveSuspend),
            PurgeTxn = Or(request.PurgeTxn, conf.PurgeTXNAfter, conf.ArchiveTXN),
            PurgeUsage = Or(request.PurgeUsage, conf.PurgeUsageAfter, conf.ArchiveUsage),
        };
    }
}
