using System.Diagnostics;
using System.Net;
using Accounting.Dbd.Handlers;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Wire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Spool;

/// <summary>
/// Stores the spooled controller records once a writable database is back: in arrival order, through the
/// same handlers that store them live, a batch per transaction; then the spool's cursor moves past them.
/// A crash between commit and cursor replays a batch twice, which the handlers' merging makes harmless
/// (jobs by cluster + job id + submit time, steps by job + step id, events by cluster + node + start).
/// While the database is away it retries every second; it also keeps a fresh db_index block at hand.
/// Besides the rollups it is the only writer that is not a connection.
/// </summary>
public sealed class SpoolReplayer(
    MessageSpool spool, JobIndexBlock block, JobIndexReservation reservation, StoragePreparation preparation,
    HandlerTable handlers, ControllerRequests requests, DatabaseLocator locator, StorageWorkers workers, GroupCommit group,
    SpoolReplayProgress progress, ControllerRegistration registration, ILogger<SpoolReplayer> logger) : BackgroundService
{
    /// <summary>Records per transaction: large enough to replay fast, small enough that a retried batch is cheap.</summary>
    private const int BatchSize = 500;

    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    /// <summary>Spool depth and replay progress are logged this often (and shown by `sacctmgr show config`).</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(30);

    private bool _blockChecked;
    private bool _databaseAway;
    private long _replayedSinceProgress;
    private long _lastProgress = Stopwatch.GetTimestamp();

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!preparation.Prepared)
                    await OnStorageAsync(preparation.Run).ConfigureAwait(false);
                if (spool.Depth == 0)
                {
                    if (registration.HasDeferredDisconnects)
                    {
                        await using var storage = new StorageSession(locator, workers, group);
                        await registration.ApplyDeferredDisconnectsAsync(storage).ConfigureAwait(false);
                    }
                    if (!_blockChecked || !block.Exists || block.Drawn)
                    {
                        await OnStorageAsync(reservation.EnsureFresh).ConfigureAwait(false);
                        _blockChecked = true;
                    }
                    await Task.Delay(Idle, stopping).ConfigureAwait(false);
                    continue;
                }
                await ReplayBatchAsync().ConfigureAwait(false);
                if (_databaseAway)
                {
                    _databaseAway = false;
                    logger.LogInformation("a writable database is back: replaying the spool, {Depth} records to go", spool.Depth);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (StorageUnavailableException exception)
            {
                if (!_databaseAway)
                    logger.LogWarning("spool replay waits for a writable database: {Reason}", exception.Message);
                _databaseAway = true;
                progress.WaitingForDatabase();
                await DelayAsync(Retry, stopping).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                logger.LogError(exception, "spool replay failed; retrying");
                await DelayAsync(Retry, stopping).ConfigureAwait(false);
            }
            LogProgress();
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop ends.
        }
    }

    private Task<bool> OnStorageAsync(Action work) => workers.RunAsync(() =>
    {
        work();
        return true;
    }, locator.Options.CallDeadline);

    private async Task ReplayBatchAsync()
    {
        var records = spool.Pending(BatchSize);
        if (records.Count == 0)
        {
            await Task.Delay(Idle).ConfigureAwait(false);
            return;
        }
        progress.BatchStarting();
        await using (var storage = new StorageSession(locator, workers, group))
        {
            try
            {
                foreach (var record in records)
                    await ReplayAsync(storage, record).ConfigureAwait(false);
                await requests.CommitAsync(ReplayContext(records[^1], storage, inBatch: false)).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not (StorageUnavailableException or OutOfMemoryException))
            {
                await storage.RollbackAsync().ConfigureAwait(false);
                logger.LogWarning("spool records {First}-{Last} failed together ({Reason}); replaying them one at a time",
                    records[0].Sequence, records[^1].Sequence, exception.Message);
                foreach (var record in records)
                    await ReplayAloneAsync(record).ConfigureAwait(false);
            }
        }
        // The values handed out are recorded before the records naming them can go.
        block.PersistDrawn();
        spool.MarkReplayed(records[^1].Sequence);
        _replayedSinceProgress += records.Count;
        if (progress.Stored(records.Count) is { } drain)
            logger.LogInformation("spool replayed: {Drain}", drain);
    }

    private async Task ReplayAloneAsync(SpoolRecord record)
    {
        await using var storage = new StorageSession(locator, workers, group);
        try
        {
            await ReplayAsync(storage, record).ConfigureAwait(false);
            await requests.CommitAsync(ReplayContext(record, storage, inBatch: false)).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not (StorageUnavailableException or OutOfMemoryException))
        {
            await storage.RollbackAsync().ConfigureAwait(false);
            logger.LogError(exception, "spool record {Sequence} ({Type} from cluster {Cluster}) cannot be stored; kept in {Directory}/rejected.log",
                record.Sequence, TypeName(record), record.ClusterName, spool.Location);
            spool.Reject(record);
        }
    }

    /// <summary>One record, through the handlers it would have reached live; inside the caller's transaction.</summary>
    private async Task ReplayAsync(StorageSession storage, SpoolRecord record)
    {
        IDbdMessage message;
        try
        {
            message = DbdMessageDecoder.Decode(record.Message, record.ProtocolVersion);
        }
        catch (WireFormatException exception)
        {
            // It unpacked when it was spooled and its checksum holds: only a fault of ours gets here.
            logger.LogError("spool record {Sequence} ({Type}) does not unpack: {Reason}; kept in {Directory}/rejected.log",
                record.Sequence, TypeName(record), exception.Message, spool.Location);
            spool.Reject(record);
            return;
        }
        var context = ReplayContext(record, storage, inBatch: true);
        foreach (var part in SpooledMessage.Expand(message, record.ProtocolVersion, handlers).Parts)
        {
            var reply = await part.Handler(context, part.Message).ConfigureAwait(false);
            if (FailureOf(reply) is { } failure)
                logger.LogWarning("spool record {Sequence}: {Type} from cluster {Cluster} was refused when replayed: rc {Rc} {Comment}",
                    record.Sequence, DbdMessageTypeInfo.SlurmName(part.Message.Type), record.ClusterName, failure.Rc, failure.Comment);
        }
    }

    private static RequestContext ReplayContext(SpoolRecord record, StorageSession storage, bool inBatch)
    {
        var peer = IPEndPoint.TryParse(record.Peer, out var parsed) ? parsed : new IPEndPoint(IPAddress.Loopback, 0);
        var connection = new ConnectionState(peer, record.Uid, 0, record.ClusterName is { Length: > 0 } name ? name : null, record.ProtocolVersion)
        {
            Replayed = true,
        };
        return new RequestContext(connection, storage) { InsideBatch = inBatch, SpooledDbIndexes = new Queue<ulong>(record.DbIndexes) };
    }

    private static (int Rc, string? Comment)? FailureOf(IDbdMessage reply) => reply switch
    {
        PersistRc { ReturnCode: not SlurmError.Success } persist => (persist.ReturnCode, persist.Comment),
        IdReturnCode { ReturnCode: not SlurmError.Success } id => (id.ReturnCode, null),
        ListMessage<IdReturnCode> list when list.Items?.FirstOrDefault(i => i.ReturnCode != SlurmError.Success) is { } id => (id.ReturnCode, null),
        _ => null,
    };

    private static string TypeName(SpoolRecord record) =>
        DbdMessageTypeInfo.SlurmName(record.Message.Length >= 2 ? (ushort)((record.Message[0] << 8) | record.Message[1]) : (ushort)0);

    private void LogProgress()
    {
        if (Stopwatch.GetElapsedTime(_lastProgress) < ProgressInterval)
            return;
        double seconds = Stopwatch.GetElapsedTime(_lastProgress).TotalSeconds;
        if (spool.Depth > 0 || _replayedSinceProgress > 0)
            logger.LogInformation("spool: {Depth} records ({Bytes} of {Limit} bytes) wait for the database; {Replayed} stored in the last {Seconds:0} s",
                spool.Depth, spool.Bytes, spool.Limit, _replayedSinceProgress, seconds);
        _replayedSinceProgress = 0;
        _lastProgress = Stopwatch.GetTimestamp();
    }
}
