using Accounting.Dbd.Authorization;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>Associations: the tree of who may run where, under which limits (records spec §5).</summary>
public sealed class AssociationHandlers(
    AssociationRepository associations,
    AssociationChanges changes,
    CoordinatorRepository coordinators,
    Privileges privileges,
    ChangeClock clock,
    AccountingPolicy policy) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table)
    {
        table.On<ConditionMessage<AssociationCondition>>(DbdMessageType.GetAssocs, GetAssociationsAsync);
        table.On<ListMessage<AssociationRecord>>(DbdMessageType.AddAssocs, AddAssociationsAsync);
    }

    private async Task<IDbdMessage> GetAssociationsAsync(RequestContext context, ConditionMessage<AssociationCondition> request)
    {
        var records = await context.Storage.ReadAsync(scope => associations.Find(scope, request.Condition)).ConfigureAwait(false);
        return new ListMessage<AssociationRecord>(DbdMessageType.GotAssocs, records);
    }

    /// <summary>
    /// DBD_ADD_ASSOCS (proc_req.c _add_assocs): operators add anywhere; a coordinator only below the
    /// accounts they coordinate. A failure undoes the whole pending transaction.
    /// </summary>
    private async Task<IDbdMessage> AddAssociationsAsync(RequestContext context, ListMessage<AssociationRecord> request)
    {
        var records = request.Items ?? [];
        if (!await privileges.IsOperatorAsync(context).ConfigureAwait(false))
        {
            string? user = UnixUsers.NameOf(context.Connection.Uid);
            var coordinated = user is null ? [] : await context.Storage.ReadAsync(scope => coordinators.AccountsCoordinatedBy(scope, user)).ConfigureAwait(false);
            if (coordinated.Count == 0 || records.Any(record => !coordinated.Contains(ParentAccountOf(record), StringComparer.OrdinalIgnoreCase)))
                return ChangeReplies.Denied(request.Type);
        }
        var change = clock.For(context);
        int rc = await context.Storage.ChangeAsync(scope => changes.Add(scope, records, change, policy.AllowNoDefaultAccount)).ConfigureAwait(false);
        if (rc != SlurmError.Success)
            await context.Storage.RollbackAsync().ConfigureAwait(false);
        return rc == SlurmError.Success ? PersistRc.Ok(request.Type) : PersistRc.Failure(request.Type, rc, SlurmError.Describe(rc));
    }

    /// <summary>The account whose coordinator may add this association.</summary>
    private static string ParentAccountOf(AssociationRecord record) =>
        record.User is not null ? record.Account ?? "" : record.ParentAccount ?? "root";
}
