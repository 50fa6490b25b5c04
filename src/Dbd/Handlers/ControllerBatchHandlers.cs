using Accounting.Model.Messages;
using Accounting.Model.Wire;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// DBD_SEND_MULT_MSG (wire spec §8.4): up to 1001 queued controller messages in one frame. Each inner
/// message goes through the same handler it would reach alone, in order; the reply DBD_GOT_MULT_MSG holds
/// one inner reply per processed message. The batch stops after the first failure (that reply is still
/// included), because slurmctld dequeues one message per leading rc-0 reply and re-sends the rest.
/// </summary>
public sealed class ControllerBatchHandlers(ControllerRequests requests, Lazy<HandlerTable> handlers, ILogger<ControllerBatchHandlers> logger)
    : IHandlerFamily
{
    public void RegisterWith(HandlerTable table) => table.On<MultMessage>(DbdMessageType.SendMultMsg, SendMultAsync);

    private async Task<IDbdMessage> SendMultAsync(RequestContext context, MultMessage request)
    {
        if (requests.Refusal(context, request.Type) is { } refusal)
            return refusal;
        ushort version = context.Connection.ProtocolVersion;
        var inner = new RequestContext(context.Connection, context.Storage) { InsideBatch = true };
        // The batch is one unit of the group commit. If that fails, the exception answers the whole batch
        // with an error and slurmctld keeps every message queued.
        var replies = await context.Storage.GroupedAsync(async () =>
        {
            var replies = new List<IDbdMessage>();
            foreach (var buffer in request.Buffers ?? [])
            {
                var (reply, failed) = await HandleInnerAsync(inner, buffer, version).ConfigureAwait(false);
                replies.Add(reply);
                if (failed)
                    break;
            }
            return replies;
        }).ConfigureAwait(false);
        await requests.CommitAsync(context).ConfigureAwait(false);
        return MultMessage.FromMessages(DbdMessageType.GotMultMsg, replies, version);
    }

    /// <summary>
    /// One inner message, answered as slurm_persist_conn_process_msg and proc_req would answer it alone.
    /// JOB_COMPLETE, NODE_STATE and JOB_SUSPEND never stop the batch, whatever their rc (proc_req returns
    /// success for them); any other non-zero rc does.
    /// </summary>
    private async Task<(IDbdMessage Reply, bool Failed)> HandleInnerAsync(RequestContext context, byte[] buffer, ushort version)
    {
        var decoded = MultInner.Decode(buffer, version, handlers.Value);
        if (decoded.Failure is { } failure)
        {
            logger.LogError("{Connection}: {Reason}", context.Connection, decoded.Reason);
            return (failure, true);
        }
        var inner = decoded.Message!;
        // A handler that throws (database gone, a fault of ours) has rolled back the uncommitted batch: the
        // exception answers the whole batch, so nothing already answered here is acknowledged unstored.
        var reply = await decoded.Handler!(context, inner).ConfigureAwait(false);
        int rc = reply switch
        {
            PersistRc persist => persist.ReturnCode,
            IdReturnCode id => id.ReturnCode,
            _ => SlurmError.Success,
        };
        bool alwaysContinues = inner.Type is DbdMessageType.JobComplete or DbdMessageType.NodeState or DbdMessageType.JobSuspend;
        return (reply, rc != SlurmError.Success && !alwaysContinues);
    }
}
