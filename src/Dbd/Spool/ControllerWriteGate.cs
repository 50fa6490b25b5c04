using Accounting.Dbd.Handlers;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Wire;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Spool;

/// <summary>
/// The one place that decides "store or spool" for a controller write (issue: nothing lost). A write goes
/// to its handler while the spool is empty; when the handler finds no writable database
/// (<see cref="StorageUnavailableException"/>: refused, timed out, hung, read-only) the write is spooled
/// instead. While the spool holds anything, every new controller write is spooled too, behind it, so the
/// replayer stores them all in arrival order. A spooled write is acknowledged only once it is on disk,
/// with the reply the controller expects; a job start's DBD_ID_RC carries a db_index from the reserved block.
/// </summary>
public sealed class ControllerWriteGate(
    MessageSpool spool, JobIndexBlock block, ControllerRequests requests, HandlerTable handlers, TimeProvider clock,
    ControllerRegistration registration, ILogger<ControllerWriteGate> logger)
{
    private int _outageLogged;

    public async Task<IDbdMessage> HandleAsync(RequestContext context, IDbdMessage request, ReadOnlyMemory<byte> payload, RequestHandler handler)
    {
        if (!DbdMessageTypeInfo.IsControllerMessage(request.Type))
            return await handler(context, request).ConfigureAwait(false);
        if (requests.Refusal(context, request.Type) is { } refusal)
            return refusal;
        if (spool.Depth == 0)
        {
            try
            {
                var reply = await handler(context, request).ConfigureAwait(false);
                Interlocked.Exchange(ref _outageLogged, 0);
                return reply;
            }
            catch (StorageUnavailableException exception)
            {
                if (Interlocked.Exchange(ref _outageLogged, 1) == 0)
                    logger.LogWarning("{Connection}: {Type}: no writable database ({Reason}); controller records go to the spool in {Directory} until it is back",
                        context.Connection, DbdMessageTypeInfo.SlurmName(request.Type), exception.Message, spool.Location);
            }
        }
        return await SpoolAsync(context, request, payload.ToArray()).ConfigureAwait(false);
    }

    private async Task<IDbdMessage> SpoolAsync(RequestContext context, IDbdMessage request, byte[] message)
    {
        var connection = context.Connection;
        var parts = SpooledMessage.Expand(request, connection.ProtocolVersion, handlers);
        var slots = new List<ulong>();
        foreach (var job in parts.JobStarts)
        {
            if (SpooledMessage.KnowsIndex(job))
                slots.Add(0);
            else if (block.TryDraw() is ulong index)
                slots.Add(index);
            else
            {
                logger.LogError("{Connection}: {Type}: no reserved db_index left for job {JobId} (block {Range}); refused until the database is back",
                    connection, DbdMessageTypeInfo.SlurmName(request.Type), job.JobId, block.Range);
                return Refused(request.Type, "no reserved db_index left while the database is away");
            }
        }
        try
        {
            await spool.AppendAsync(connection.ClusterName ?? "", connection.Uid, connection.ProtocolVersion, message,
                clock.GetUtcNow().ToUnixTimeSeconds(), connection.Peer.ToString(), slots).ConfigureAwait(false);
        }
        catch (SpoolFullException exception)
        {
            logger.LogError("{Connection}: {Type} refused: {Reason}", connection, DbdMessageTypeInfo.SlurmName(request.Type), exception.Message);
            return Refused(request.Type, exception.Message);
        }
        catch (IOException exception)
        {
            logger.LogCritical("{Connection}: {Type} refused: the spool cannot be written: {Reason}",
                connection, DbdMessageTypeInfo.SlurmName(request.Type), exception.Message);
            return Refused(request.Type, $"spool write failed: {exception.Message}");
        }
        // The controller is told it registered: its connection is the cluster's from now on, as if stored.
        if (request is RegisterCtldMessage register && connection.ClusterName is { Length: > 0 } cluster)
            registration.Registered(connection, cluster, register.Port, register.Flags);
        return parts.Acknowledgement(request, slots, connection.ProtocolVersion);
    }

    /// <summary>
    /// ESLURM_DB_CONNECTION, as while the database is away without a spool: slurmctld keeps the message in
    /// its own queue and sends it again (slurmdbd_agent.c dequeues only on rc 0).
    /// </summary>
    private static PersistRc Refused(DbdMessageType type, string reason) =>
        PersistRc.Failure(type, SlurmError.DbConnection, $"{SlurmError.Describe(SlurmError.DbConnection)}: {reason}");
}
