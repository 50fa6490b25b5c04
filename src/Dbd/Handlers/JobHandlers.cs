using Accounting.Dbd.Hosting;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// Job records from slurmctld (wire spec §9.5–9.7, §9.9, §10): starts answered with their db_index, completes,
/// suspends, the heavy environment/script message and the flush after a lost state. Every one of them may be
/// re-sent from the controller's queue and must then change nothing and answer rc 0 again.
/// </summary>
public sealed class JobHandlers(
    ControllerRequests requests, JobRepository jobs, JobWckeys wckeys, ConfigHolder config, ChangeClock changes,
    ControllerRegistration registration) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table)
    {
        table.On<JobStartMessage>(DbdMessageType.JobStart, JobStartAsync);
        table.On<ListMessage<JobStartMessage>>(DbdMessageType.SendMultJobStart, MultJobStartAsync);
        table.On<JobCompleteMessage>(DbdMessageType.JobComplete, JobCompleteAsync);
        table.On<JobSuspendMessage>(DbdMessageType.JobSuspend, JobSuspendAsync);
        table.On<JobHeavyMessage>(DbdMessageType.JobHeavy, JobHeavyAsync);
        table.On<ClusterTresMessage>(DbdMessageType.FlushJobs, FlushJobsAsync);
    }

    /// <summary>
    /// _job_start: DBD_ID_RC with the row's db_index. flags stay 0: we never ask for DBD_JOB_HEAVY, and store
    /// it when a controller sends it anyway (wire spec §9.5.3).
    /// </summary>
    private async Task<IDbdMessage> JobStartAsync(RequestContext context, JobStartMessage request)
    {
        if (requests.Refusal(context, request.Type) is { } refusal)
            return refusal;
        long now = requests.Now;
        ulong spooledIndex = context.TakeSpooledDbIndex();
        var start = Starter(context, now);
        var result = await requests.WriteAsync(context, (scope, clusterId) =>
        {
            ClaimSpooledIndexes(scope, clusterId, [request], [spooledIndex]);
            return start(scope, clusterId, request);
        }).ConfigureAwait(false);
        await registration.RegisterDisconnectedAsync(context).ConfigureAwait(false);
        return IdReply(request, result);
    }

    /// <summary>
    /// _send_mult_job_start: DBD_GOT_MULT_JOB_START with one id_rc per job in request order; slurmctld drops
    /// as many jobs from its batch as there are records, and treats any other reply as a failure of all.
    /// </summary>
    private async Task<IDbdMessage> MultJobStartAsync(RequestContext context, ListMessage<JobStartMessage> request)
    {
        if (requests.Refusal(context, request.Type) is { } refusal)
            return refusal;
        long now = requests.Now;
        var starts = request.Items ?? [];
        var spooledIndexes = starts.Select(_ => context.TakeSpooledDbIndex()).ToList();
        var start = Starter(context, now);
        var result = await requests.WriteAsync(context, (scope, clusterId) =>
        {
            ClaimSpooledIndexes(scope, clusterId, starts, spooledIndexes);
            // Without wckeys to track a start is its row alone, and all rows go in one round trip.
            return config.Current.TrackWCKey
                ? starts.Select(job => start(scope, clusterId, job)).ToList()
                : jobs.StartAll(scope, clusterId, starts, now);
        }).ConfigureAwait(false);
        await registration.RegisterDisconnectedAsync(context).ConfigureAwait(false);
        var replies = starts.Select((job, i) => result.ClusterKnown
            ? new IdReturnCode(job.JobId, result.Value[i], 0, SlurmError.Success)
            : new IdReturnCode(job.JobId, 0, 0, SlurmError.Error)).ToList();
        return new ListMessage<IdReturnCode>(DbdMessageType.GotMultJobStart, replies);
    }

    /// <summary>A replayed spooled start gets the db_index the controller was answered with while the database was away.</summary>
    private void ClaimSpooledIndexes(SqlScope scope, uint clusterId, IReadOnlyList<JobStartMessage> starts, IReadOnlyList<ulong> spooledIndexes)
    {
        for (int i = 0; i < starts.Count; i++)
            if (spooledIndexes[i] != 0)
                jobs.ClaimSpooledIndex(scope, clusterId, starts[i], spooledIndexes[i]);
    }

    /// <summary>
    /// as_mysql_job_start: the row, then with TrackWCKey its wckey; one created for it is pushed to the
    /// controllers like an added wckey (as_mysql_add_wckeys puts it on the update list).
    /// </summary>
    private Func<SqlScope, uint, JobStartMessage, ulong> Starter(RequestContext context, long now)
    {
        if (!config.Current.TrackWCKey)
            return (scope, clusterId, job) => jobs.Start(scope, clusterId, job, now);
        var change = changes.For(context);
        string cluster = context.Connection.ClusterName ?? "";
        return (scope, clusterId, job) =>
        {
            ulong index = jobs.Start(scope, clusterId, job, now);
            if (JobWckeys.Applies(job) && wckeys.Apply(scope, clusterId, cluster, index, job, change) is { Count: > 0 } added)
                context.Storage.QueueUpdate(new UpdateObject<WckeyRecord>(UpdateType.AddWckey, added));
            return index;
        };
    }

    private static IdReturnCode IdReply(JobStartMessage request, ControllerWrite<ulong> result) => result.ClusterKnown
        ? new IdReturnCode(request.JobId, result.Value, 0, SlurmError.Success)
        : new IdReturnCode(request.JobId, 0, 0, SlurmError.Error);

    private Task<IDbdMessage> JobCompleteAsync(RequestContext context, JobCompleteMessage request) =>
        StoreAsync(context, request.Type, (scope, clusterId, now) => jobs.Complete(scope, clusterId, request, now), registers: true);

    private Task<IDbdMessage> JobSuspendAsync(RequestContext context, JobSuspendMessage request) =>
        StoreAsync(context, request.Type, (scope, clusterId, now) => jobs.Suspend(scope, clusterId, request, now));

    private Task<IDbdMessage> JobHeavyAsync(RequestContext context, JobHeavyMessage request) =>
        StoreAsync(context, request.Type, (scope, clusterId, now) => jobs.StoreHeavy(scope, clusterId, request, now));

    /// <summary>_flush_jobs: the controller lost its job state; everything still open ends CANCELLED (wire spec §9.9).</summary>
    private Task<IDbdMessage> FlushJobsAsync(RequestContext context, ClusterTresMessage request) =>
        StoreAsync(context, request.Type, (scope, clusterId, _) => jobs.FlushCluster(scope, clusterId, request.EventTime));

    /// <summary>
    /// A controller write answered by PERSIST_RC: refused for others than root and SlurmUser. A message that
    /// <paramref name="registers"/> then registers a controller that never did on this connection.
    /// </summary>
    private async Task<IDbdMessage> StoreAsync(RequestContext context, DbdMessageType type, Action<SqlScope, uint, long> store,
        bool registers = false)
    {
        if (requests.Refusal(context, type) is { } refusal)
            return refusal;
        long now = requests.Now;
        var result = await requests.WriteAsync(context, (scope, clusterId) =>
        {
            store(scope, clusterId, now);
            return true;
        }).ConfigureAwait(false);
        if (registers)
            await registration.RegisterDisconnectedAsync(context).ConfigureAwait(false);
        return Reply(type, result);
    }

    private static PersistRc Reply(DbdMessageType type, ControllerWrite<bool> result) =>
        result.ClusterKnown ? PersistRc.Ok(type) : ControllerRequests.UnknownCluster(type);
}
