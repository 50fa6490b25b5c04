using Accounting.Dbd.Authorization;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// Wckeys (records spec §6.5): reading needs Operator (checked in proc_req.c before the plugin), and so do
/// adds and removes (as_mysql_add_wckeys, as_mysql_remove_wckeys). DBD_MODIFY_WCKEYS cannot be sent.
/// </summary>
public sealed class WckeyHandlers(WckeyRepository wckeys, Privileges privileges, ChangeClock clock, UsageRepository usage) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table)
    {
        table.On<ConditionMessage<WckeyCondition>>(DbdMessageType.GetWckeys, GetWckeysAsync);
        table.On<ListMessage<WckeyRecord>>(DbdMessageType.AddWckeys, AddWckeysAsync);
        table.On<ConditionMessage<WckeyCondition>>(DbdMessageType.RemoveWckeys, RemoveWckeysAsync);
    }

    private async Task<IDbdMessage> GetWckeysAsync(RequestContext context, ConditionMessage<WckeyCondition> request)
    {
        if (!await privileges.IsOperatorAsync(context).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var condition = request.Condition;
        var records = await context.Storage.ReadAsync(scope =>
        {
            var found = wckeys.Find(scope, condition);
            return condition.WithUsage != 0 && found.Count > 0 ? usage.WithWckeyUsage(scope, found, condition.UsageStart, condition.UsageEnd) : found;
        }).ConfigureAwait(false);
        return new ListMessage<WckeyRecord>(DbdMessageType.GotWckeys, records);
    }

    private async Task<IDbdMessage> AddWckeysAsync(RequestContext context, ListMessage<WckeyRecord> request)
    {
        if (!await privileges.IsOperatorAsync(context).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var change = clock.For(context);
        var (rc, added) = await context.Storage.ChangeAsync(scope => wckeys.Add(scope, request.Items ?? [], change)).ConfigureAwait(false);
        if (added.Count > 0)
            context.Storage.QueueUpdate(new UpdateObject<WckeyRecord>(UpdateType.AddWckey, added));
        return ChangeReplies.Added(request.Type, rc, null);
    }

    /// <summary>The reply's return code is always 0 for wckeys (records spec §1.4).</summary>
    private async Task<IDbdMessage> RemoveWckeysAsync(RequestContext context, ConditionMessage<WckeyCondition> request)
    {
        if (!await privileges.IsOperatorAsync(context).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var change = clock.For(context);
        var (lines, removed) = await context.Storage.ChangeAsync(scope => wckeys.Remove(scope, request.Condition, change)).ConfigureAwait(false);
        if (removed.Count > 0)
            context.Storage.QueueUpdate(new UpdateObject<WckeyRecord>(UpdateType.RemoveWckey, removed));
        return new GotListMessage(lines);
    }
}
