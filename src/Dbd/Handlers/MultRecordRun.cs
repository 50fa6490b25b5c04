using Accounting.Dbd.Hosting;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// Consecutive job and step records inside one DBD_SEND_MULT_MSG (job start, step start, step complete, job
/// complete: nearly all a controller queues) stored in a few round trips instead of one or more per message
/// (issue 8). Each message gets the statement its handler would run first, the one that does the whole work
/// when the job's row is there under its identity; they go to the server together, in message order, so a
/// step finds the job started just before it in the same batch. When any of them finds no row (an unknown
/// job, a step before its job) or fails, the run is rolled back to its savepoint and the caller stores it
/// message by message instead, through the handlers, exactly as before. Every message of a stored run is
/// answered as its handler answers success: DBD_ID_RC with the db_index for a start, PERSIST_RC 0 otherwise.
/// </summary>
public sealed class MultRecordRun(
    ControllerRequests requests, ClusterRepository clusters, JobRepository jobs, StepRepository steps, RollupRewind rollupRewind,
    ConfigHolder config, ControllerRegistration registration)
{
    private const string Savepoint = "mult_records";

    /// <summary>Messages per round trip; bounds the statement text (about 2 kB a message) and its parameters.</summary>
    private const int MessagesPerTrip = 200;

    /// <summary>The messages a run may hold. With TrackWCKey a start also writes its wckey: it goes alone.</summary>
    public bool Takes(IDbdMessage message) => message switch
    {
        JobStartMessage => !config.Current.TrackWCKey,
        StepStartMessage or StepCompleteMessage or JobCompleteMessage => true,
        _ => false,
    };

    /// <summary>
    /// Stores <paramref name="run"/> (messages <see cref="Takes"/> accepts) in the batch's unit and returns one
    /// reply per message; null when the run must go message by message (nothing of it is then written).
    /// </summary>
    public async Task<IReadOnlyList<IDbdMessage>?> TryStoreAsync(RequestContext context, IReadOnlyList<IDbdMessage> run)
    {
        if (context.Connection.ClusterName is not { Length: > 0 } cluster)
            return null;
        long now = requests.Now;
        IReadOnlyList<IDbdMessage>? replies;
        try
        {
            replies = await context.Storage.ChangeAsync(scope =>
                clusters.CachedIdOf(scope, cluster) is uint clusterId ? Store(scope, clusterId, run, now) : null).ConfigureAwait(false);
        }
        catch
        {
            // A lost connection or a failed rollback to the savepoint: the batch fails as after a handler's failure.
            await context.Storage.RollbackAsync().ConfigureAwait(false);
            throw;
        }
        if (replies is not null)
            await registration.RegisterDisconnectedAsync(context).ConfigureAwait(false);
        return replies;
    }

    private List<IDbdMessage>? Store(SqlScope scope, uint clusterId, IReadOnlyList<IDbdMessage> run, long now)
    {
        var replies = new List<IDbdMessage>(run.Count);
        bool sent = false;
        try
        {
            foreach (var chunk in run.Chunk(MessagesPerTrip))
            {
                var batch = new StatementBatch();
                if (!sent)
                    batch.AddPlain($"SAVEPOINT {Savepoint}");
                var startAnswers = Add(batch, scope, clusterId, chunk, now);
                sent = true;
                var answers = batch.Execute(scope);
                for (int i = 0; i < chunk.Length; i++)
                    replies.Add(chunk[i] is JobStartMessage start
                        ? new IdReturnCode(start.JobId, (ulong)answers[startAnswers[i]], 0, SlurmError.Success)
                        : PersistRc.Ok(chunk[i].Type));
            }
            return replies;
        }
        catch (Exception)
        {
            // A message found no row (the batch's SIGNAL) or a statement failed: the handlers, message by
            // message, store it as they store it alone, or give it the reply or exception it gets alone.
            // A rollback that fails too (a lost connection) fails the batch as a handler's failure does.
            if (sent)
                RollbackRun(scope);
            return null;
        }
    }

    /// <summary>
    /// The statements of one trip, required to find their row where the handler would fall back without one;
    /// returns per start (by position in the chunk) the answer holding its db_index. What the reference writes before a job row (a rollup rewind, env and
    /// script hash rows) is written here, before the savepoint, and written again alike by the handlers when
    /// the run falls back, so nothing differs.
    /// </summary>
    private Dictionary<int, int> Add(StatementBatch batch, SqlScope scope, uint clusterId, IDbdMessage[] chunk, long now)
    {
        var startAnswers = new Dictionary<int, int>();
        jobs.RewindForLateStarts(scope, clusterId, chunk.OfType<JobStartMessage>().ToList());
        long? rewindTo = null;
        for (int i = 0; i < chunk.Length; i++)
        {
            switch (chunk[i])
            {
                case JobStartMessage start:
                    startAnswers[i] = batch.AddSelecting(jobs.StartStatement(scope, clusterId, start, now));
                    break;
                case StepStartMessage step:
                    batch.AddRequired(steps.StartStatement(clusterId, null, step));
                    break;
                case StepCompleteMessage step:
                    var (update, jobTres) = steps.CompleteStatements(clusterId, null, step);
                    batch.AddRequired(update);
                    if (jobTres is { } tres)
                        batch.AddUnchecked(tres);
                    break;
                case JobCompleteMessage complete when jobs.Completion(clusterId, complete, now) is { } completion:
                    batch.AddRequired(completion.ByIdentity);
                    rewindTo = Math.Min(rewindTo ?? long.MaxValue, completion.EndTime);
                    break;
            }
        }
        // The marks only move back (LEAST), so one rewind to the earliest end time leaves what one per job leaves.
        if (rewindTo is long time && rollupRewind.RewindStatement(clusterId, time) is { } rewind)
            batch.AddUnchecked(rewind);
        return startAnswers;
    }

    private static void RollbackRun(SqlScope scope) => new Statement($"ROLLBACK TO SAVEPOINT {Savepoint}", new { }).Execute(scope);
}
