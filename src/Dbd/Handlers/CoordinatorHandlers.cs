using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// Coordinators (records spec §6.4): operators, or coordinators of every account named, add and remove
/// them (as_mysql_add_coord, as_mysql_remove_coord).
/// </summary>
public sealed class CoordinatorHandlers(CoordinatorRepository coordinators, Authorization.Privileges privileges, ChangeClock clock) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table)
    {
        table.On<AccountCoordMessage>(DbdMessageType.AddAccountCoords, AddCoordinatorsAsync);
        table.On<AccountCoordMessage>(DbdMessageType.RemoveAccountCoords, RemoveCoordinatorsAsync);
    }

    private async Task<bool> MayChangeAsync(RequestContext context, AccountCoordMessage request)
    {
        if (await privileges.IsOperatorAsync(context).ConfigureAwait(false))
            return true;
        var coordinated = await Coordination.AccountsOfRequesterAsync(context, coordinators).ConfigureAwait(false);
        return request.AccountList is { Count: > 0 } accounts && accounts.All(coordinated.Contains);
    }

    private async Task<IDbdMessage> AddCoordinatorsAsync(RequestContext context, AccountCoordMessage request)
    {
        if (!await MayChangeAsync(context, request).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var change = clock.For(context);
        var (rc, users) = await context.Storage.ChangeAsync(scope =>
            coordinators.Add(scope, request.AccountList, request.Condition.AssociationCondition.UserList, change)).ConfigureAwait(false);
        if (users.Count > 0)
            context.Storage.QueueUpdate(new UpdateObject<UserRecord>(UpdateType.AddCoord, users));
        return ChangeReplies.Added(request.Type, rc, null);
    }

    /// <summary>The reply carries the removed assignments; its return code is always 0 (records spec §1.4).</summary>
    private async Task<IDbdMessage> RemoveCoordinatorsAsync(RequestContext context, AccountCoordMessage request)
    {
        if (!await MayChangeAsync(context, request).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var change = clock.For(context);
        var (lines, users) = await context.Storage.ChangeAsync(scope =>
            coordinators.Remove(scope, request.AccountList, request.Condition.AssociationCondition.UserList, change)).ConfigureAwait(false);
        if (users.Count > 0)
            context.Storage.QueueUpdate(new UpdateObject<UserRecord>(UpdateType.RemoveCoord, users));
        return new GotListMessage(lines);
    }
}
