using Accounting.Model.Messages;
using Accounting.Model.Wire;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// DBD_SEND_MULT_MSG (wire spec §8.4): up to 1001 queued controller messages in one frame. Each inner
/// message goes through the same handler it would reach alone, in order; the reply DBD_GOT_MULT_MSG holds
/// one inner reply per processed message. The batch stops after the first failure (that reply is still
/// included), because slurmctld dequeues one message per leading rc-0 reply and re-sends the rest.
/// Consecutive job and step records are stored together as a <see cref="MultRecordRun"/> when they can be.
/// </summary>
public sealed class ControllerBatchHandlers(
    ControllerRequests requests, Lazy<HandlerTable> handlers, MultRecordRun records, ILogger<ControllerBatchHandlers> logger)
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
        var replies = await context.Storage.GroupedAsync(() => HandleAllAsync(inner, request.Buffers ?? [], version)).ConfigureAwait(false);
        await requests.CommitAsync(context).ConfigureAwait(false);
        return MultMessage.FromMessages(DbdMessageType.GotMultMsg, replies, version);
    }

    /// <summary>The inner messages in order, up to and including the first that fails.</summary>
    private async Task<List<IDbdMessage>> HandleAllAsync(RequestContext context, IReadOnlyList<byte[]> buffers, ushort version)
    {
        var replies = new List<IDbdMessage>();
        var run = new List<(IDbdMessage Message, RequestHandler Handler)>();
        foreach (var buffer in buffers)
        {
            var decoded = MultInner.Decode(buffer, version, handlers.Value);
            if (decoded.Failure is null && records.Takes(decoded.Message!))
            {
                run.Add((decoded.Message!, decoded.Handler!));
                continue;
            }
            if (!await HandleRunAsync(context, run, replies).ConfigureAwait(false))
                return replies;
            if (decoded.Failure is { } failure)
            {
                logger.LogError("{Connection}: {Reason}", context.Connection, decoded.Reason);
                replies.Add(failure);
                return replies;
            }
            var (reply, failed) = await HandleInnerAsync(context, decoded.Message!, decoded.Handler!).ConfigureAwait(false);
            replies.Add(reply);
            if (failed)
                return replies;
        }
        await HandleRunAsync(context, run, replies).ConfigureAwait(false);
        return replies;
    }

    /// <summary>
    /// The records gathered so far: together when they can be, else one by one through their handlers.
    /// False when one of them failed, which ends the batch.
    /// </summary>
    private async Task<bool> HandleRunAsync(RequestContext context, List<(IDbdMessage Message, RequestHandler Handler)> run, List<IDbdMessage> replies)
    {
        if (run.Count == 0)
            return true;
        var messages = run.Select(entry => entry.Message).ToList();
        var handled = run.ToList();
        run.Clear();
        if (await records.TryStoreAsync(context, messages).ConfigureAwait(false) is { } stored)
        {
            replies.AddRange(stored);
            return true;
        }
        foreach (var (message, handler) in handled)
        {
            var (reply, failed) = await HandleInnerAsync(context, message, handler).ConfigureAwait(false);
            replies.Add(reply);
            if (failed)
                return false;
        }
        return true;
    }

    /// <summary>
    /// One inner message, answered as slurm_persist_conn_process_msg and proc_req would answer it alone.
    /// JOB_COMPLETE, NODE_STATE and JOB_SUSPEND never stop the batch, whatever their rc (proc_req returns
    /// success for them); any other non-zero rc does.
    /// </summary>
    private static async Task<(IDbdMessage Reply, bool Failed)> HandleInnerAsync(RequestContext context, IDbdMessage inner, RequestHandler handler)
    {
        // A handler that throws (database gone, a fault of ours) has rolled back the uncommitted batch: the
        // exception answers the whole batch, so nothing already answered here is acknowledged unstored.
        var reply = await handler(context, inner).ConfigureAwait(false);
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
