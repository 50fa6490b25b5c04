using Accounting.Dbd.Authorization;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// DBD_FIX_RUNAWAY_JOB, sent by `sacctmgr show runawayjobs` after it listed them (wire spec §9.11a;
/// proc_req.c _fix_runaway_jobs, as_mysql_fix_runaway_jobs). The change stays in the connection's open
/// transaction until sacctmgr commits it (DBD_FINI with commit) or discards it.
/// </summary>
public sealed class RunawayJobHandlers(JobRepository jobs, ClusterRepository clusters, Privileges privileges, TimeProvider time)
    : IHandlerFamily
{
    public const string DeniedComment = "You must have an AdminLevel>=Operator to fix runaway jobs";

    public void RegisterWith(HandlerTable table) =>
        table.On<ListMessage<JobRecord>>(DbdMessageType.FixRunawayJob, FixAsync);

    /// <summary>
    /// The reference works on the cluster of the earliest submitted job and refuses (SLURM_ERROR, no comment)
    /// an empty list, a first job without submit time or jobs of more than one cluster.
    /// </summary>
    private async Task<IDbdMessage> FixAsync(RequestContext context, ListMessage<JobRecord> request)
    {
        if (!await privileges.IsOperatorAsync(context).ConfigureAwait(false))
            return PersistRc.Failure(request.Type, SlurmError.AccessDenied, DeniedComment);
        var runaway = request.Items ?? [];
        var first = runaway.OrderBy(job => job.Submit).FirstOrDefault();
        if (first is not { Submit: not 0, Cluster: { Length: > 0 } cluster } || runaway.Any(job => job.Cluster != cluster))
            return PersistRc.Failure(request.Type, SlurmError.Error, null);
        var ids = runaway.Select(job => job.JobId).Distinct().ToList();
        long rollupRestart = JobRepository.RollupRestart(first.Submit, time.LocalTimeZone);
        bool known = await context.Storage.ChangeAsync(scope =>
        {
            if (clusters.IdOf(scope, cluster) is not uint clusterId)
                return false;
            jobs.FixRunaway(scope, clusterId, ids, rollupRestart);
            return true;
        }).ConfigureAwait(false);
        return known ? PersistRc.Ok(request.Type) : PersistRc.Failure(request.Type, SlurmError.Error, null);
    }
}
