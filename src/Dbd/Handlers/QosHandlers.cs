using Accounting.Dbd.Authorization;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>Quality of service definitions (records spec §6.6): any change needs a super user.</summary>
public sealed class QosHandlers(QosRepository qos, Privileges privileges, ChangeClock clock) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table)
    {
        table.On<ConditionMessage<QosCondition>>(DbdMessageType.GetQos, GetQosAsync);
        table.On<ListMessage<QosRecord>>(DbdMessageType.AddQos, AddQosAsync);
        table.On<ModifyMessage<QosCondition, QosRecord>>(DbdMessageType.ModifyQos, ModifyQosAsync);
        table.On<ConditionMessage<QosCondition>>(DbdMessageType.RemoveQos, RemoveQosAsync);
    }

    private async Task<IDbdMessage> GetQosAsync(RequestContext context, ConditionMessage<QosCondition> request)
    {
        var records = await context.Storage.ReadAsync(scope => qos.Find(scope, request.Condition)).ConfigureAwait(false);
        return new ListMessage<QosRecord>(DbdMessageType.GotQos, records);
    }

    private async Task<IDbdMessage> AddQosAsync(RequestContext context, ListMessage<QosRecord> request)
    {
        if (!await privileges.IsSuperUserAsync(context).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var change = clock.For(context);
        var (rc, added) = await context.Storage.ChangeAsync(scope => qos.Add(scope, request.Items ?? [], change)).ConfigureAwait(false);
        if (added.Count > 0)
            context.Storage.QueueUpdate(new UpdateObject<QosRecord>(UpdateType.AddQos, added));
        return ChangeReplies.Added(request.Type, rc, "Failed to add qos.");
    }

    /// <summary>DBD_MODIFY_QOS: a preemption loop is refused with 2067 (proc_req.c _modify_qos).</summary>
    private async Task<IDbdMessage> ModifyQosAsync(RequestContext context, ModifyMessage<QosCondition, QosRecord> request)
    {
        if (!await privileges.IsSuperUserAsync(context).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var change = clock.For(context);
        var (result, modified) = await context.Storage.ChangeAsync(scope => qos.Modify(scope, request.Condition, request.Record, change))
            .ConfigureAwait(false);
        if (modified.Count > 0)
            context.Storage.QueueUpdate(new UpdateObject<QosRecord>(UpdateType.ModifyQos, modified));
        else if (result.Names is not null)
            await context.Storage.RollbackAsync().ConfigureAwait(false);
        return ChangeReplies.Modified(request.Type, result);
    }

    /// <summary>DBD_REMOVE_QOS: the reply's return code is always 0 (records spec §1.4).</summary>
    private async Task<IDbdMessage> RemoveQosAsync(RequestContext context, ConditionMessage<QosCondition> request)
    {
        if (!await privileges.IsSuperUserAsync(context).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var change = clock.For(context);
        var (names, removed) = await context.Storage.ChangeAsync(scope => qos.Remove(scope, request.Condition, change)).ConfigureAwait(false);
        if (removed.Count > 0)
            context.Storage.QueueUpdate(new UpdateObject<QosRecord>(UpdateType.RemoveQos, removed));
        return new GotListMessage(names);
    }
}
