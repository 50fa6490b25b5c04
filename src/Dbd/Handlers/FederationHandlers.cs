using Accounting.Dbd.Authorization;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>Federations (records spec §4): any change needs a super user.</summary>
public sealed class FederationHandlers(FederationRepository federations, Privileges privileges, ChangeClock changes) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table)
    {
        table.On<ConditionMessage<FederationCondition>>(DbdMessageType.GetFederations, GetFederationsAsync);
        table.On<ListMessage<FederationRecord>>(DbdMessageType.AddFederations, AddFederationsAsync);
        table.On<ModifyMessage<FederationCondition, FederationRecord>>(DbdMessageType.ModifyFederations, ModifyFederationsAsync);
        table.On<ConditionMessage<FederationCondition>>(DbdMessageType.RemoveFederations, RemoveFederationsAsync);
    }

    private async Task<IDbdMessage> GetFederationsAsync(RequestContext context, ConditionMessage<FederationCondition> request)
    {
        var records = await context.Storage.ReadAsync(scope => federations.Find(scope, request.Condition)).ConfigureAwait(false);
        return new ListMessage<FederationRecord>(DbdMessageType.GotFederations, records);
    }

    private async Task<IDbdMessage> AddFederationsAsync(RequestContext context, ListMessage<FederationRecord> request)
    {
        if (!await privileges.IsSuperUserAsync(context).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var change = changes.For(context);
        int rc = await context.Storage.ChangeAsync(scope => federations.Add(scope, request.Items ?? [], change)).ConfigureAwait(false);
        if (rc == SlurmError.Success)
            await QueueFederationsUpdateAsync(context, federations).ConfigureAwait(false);
        // proc_req.c reuses the cluster text for federations.
        return ChangeReplies.Added(request.Type, rc, "Failed to add cluster.");
    }

    private async Task<IDbdMessage> ModifyFederationsAsync(RequestContext context, ModifyMessage<FederationCondition, FederationRecord> request)
    {
        if (!await privileges.IsSuperUserAsync(context).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var change = changes.For(context);
        var result = await context.Storage.ChangeAsync(scope => federations.Modify(scope, request.Condition, request.Record, change)).ConfigureAwait(false);
        if (result.Names is { Count: > 0 })
            await QueueFederationsUpdateAsync(context, federations).ConfigureAwait(false);
        return ChangeReplies.Modified(request.Type, result);
    }

    private async Task<IDbdMessage> RemoveFederationsAsync(RequestContext context, ConditionMessage<FederationCondition> request)
    {
        if (!await privileges.IsSuperUserAsync(context).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var change = changes.For(context);
        var result = await context.Storage.ChangeAsync(scope => federations.Remove(scope, request.Condition, change)).ConfigureAwait(false);
        if (result.ReturnCode == SlurmError.Success)
            await QueueFederationsUpdateAsync(context, federations).ConfigureAwait(false);
        return ChangeReplies.Removed(result);
    }

    /// <summary>
    /// as_mysql_add_feds_to_update_list: after any federation change controllers get every federation,
    /// even an empty list, so one that left its federation learns it.
    /// </summary>
    public static async Task QueueFederationsUpdateAsync(RequestContext context, FederationRepository federations)
    {
        var all = await context.Storage.ReadAsync(scope => federations.Find(scope, new FederationCondition(null, null, null, 0))).ConfigureAwait(false);
        context.Storage.QueueUpdate(new UpdateObject<FederationRecord>(UpdateType.UpdateFeds, all));
    }
}
