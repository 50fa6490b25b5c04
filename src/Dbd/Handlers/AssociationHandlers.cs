using Accounting.Dbd.Authorization;
using Accounting.Dbd.Configuration;
using Accounting.Dbd.Hosting;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>Associations: the tree of who may run where, under which limits (records spec §5).</summary>
public sealed class AssociationHandlers(
    AssociationRepository associations,
    AssociationChanges changes,
    AssociationModification modification,
    AssociationRemoval removal,
    CoordinatorRepository coordinators,
    Privileges privileges,
    ChangeClock clock,
    AccountingPolicy policy,
    UserRepository users,
    ConfigHolder config,
    UsageRepository usage) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table)
    {
        table.On<ConditionMessage<AssociationCondition>>(DbdMessageType.GetAssocs, GetAssociationsAsync);
        table.On<ListMessage<AssociationRecord>>(DbdMessageType.AddAssocs, AddAssociationsAsync);
        table.On<ModifyMessage<AssociationCondition, AssociationRecord>>(DbdMessageType.ModifyAssocs, ModifyAssociationsAsync);
        table.On<ConditionMessage<AssociationCondition>>(DbdMessageType.RemoveAssocs, RemoveAssociationsAsync);
    }

    /// <summary>DBD_GET_ASSOCS; PrivateData=users narrows what a reader below Operator sees (<see cref="PrivateReader"/>).</summary>
    private async Task<IDbdMessage> GetAssociationsAsync(RequestContext context, ConditionMessage<AssociationCondition> request)
    {
        var reader = await PrivateReader.OfAsync(context, PrivateData.Users, config, privileges, users, coordinators).ConfigureAwait(false);
        var records = await context.Storage.ReadAsync(scope => associations.Find(scope, request.Condition)).ConfigureAwait(false);
        if (reader is not null)
            records = await reader.VisibleAsync(context, associations, records).ConfigureAwait(false);
        var condition = request.Condition;
        if (condition.WithUsage != 0 && records.Count > 0)
            records = await context.Storage.ReadAsync(scope => usage.WithAssociationUsage(scope, records, condition.UsageStart, condition.UsageEnd))
                .ConfigureAwait(false);
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
            var coordinated = await Coordination.AccountsOfRequesterAsync(context, coordinators).ConfigureAwait(false);
            if (coordinated.Count == 0 || records.Any(record => !coordinated.Contains(ParentAccountOf(record))))
                return ChangeReplies.Denied(request.Type);
        }
        var change = clock.For(context);
        var result = await context.Storage.ChangeAsync(scope => changes.Add(scope, records, change, policy.AllowNoDefaultAccount)).ConfigureAwait(false);
        if (result.ReturnCode != SlurmError.Success)
        {
            await context.Storage.RollbackAsync().ConfigureAwait(false);
            return PersistRc.Failure(request.Type, result.ReturnCode, SlurmError.Describe(result.ReturnCode));
        }
        if (result.Added.Count > 0)
            context.Storage.QueueUpdate(new UpdateObject<AssociationRecord>(UpdateType.AddAssoc, result.Added));
        return PersistRc.Ok(request.Type);
    }

    /// <summary>The account whose coordinator may add this association.</summary>
    private static string ParentAccountOf(AssociationRecord record) =>
        record.User is not null ? record.Account ?? "" : record.ParentAccount ?? "root";

    /// <summary>
    /// DBD_MODIFY_ASSOCS (as_mysql_modify_assocs): operators change anything; coordinators what lies below
    /// the accounts they coordinate; a user naming only themself may change only their default account
    /// and default QOS. An empty result undoes the pending transaction, as the reference resets its
    /// connection.
    /// </summary>
    private async Task<IDbdMessage> ModifyAssociationsAsync(RequestContext context, ModifyMessage<AssociationCondition, AssociationRecord> request)
    {
        var access = AssociationModification.Access.Operator;
        var record = request.Record;
        if (!await privileges.IsOperatorAsync(context).ConfigureAwait(false))
        {
            var coordinated = await Coordination.AccountsOfRequesterAsync(context, coordinators).ConfigureAwait(false);
            string? self = UnixUsers.NameOf(context.Connection.Uid);
            if (coordinated.Count > 0)
                access = new AssociationModification.Access(coordinated);
            else if (self is not null && request.Condition.UserList is [var only] && only == self)
                record = new AssociationRecord { IsDefault = record.IsDefault, DefaultQosId = record.DefaultQosId, Priority = SlurmValues.NoVal };
            else
                return ChangeReplies.Denied(request.Type);
        }
        var change = clock.For(context);
        var outcome = await context.Storage.ChangeAsync(scope => modification.Modify(scope, request.Condition, record, access, change))
            .ConfigureAwait(false);
        if (outcome.Result.Names is { Count: > 0 })
            context.Storage.QueueUpdate(new UpdateObject<AssociationRecord>(UpdateType.ModifyAssoc, outcome.Updates));
        else if (outcome.Result.Names is not null || outcome.Result.ErrorCode != SlurmError.NoChangeInData)
            await context.Storage.RollbackAsync().ConfigureAwait(false);
        return ChangeReplies.Modified(request.Type, outcome.Result);
    }

    /// <summary>
    /// DBD_REMOVE_ASSOCS (as_mysql_remove_assocs): operators, or coordinators of every account whose
    /// associations would go. Matching associations go with their subtrees; 7001 / 7009 refuse with the
    /// lines of records spec §1.4 and remove nothing.
    /// </summary>
    private async Task<IDbdMessage> RemoveAssociationsAsync(RequestContext context, ConditionMessage<AssociationCondition> request)
    {
        HashSet<string>? coordinated = null;
        if (!await privileges.IsOperatorAsync(context).ConfigureAwait(false))
        {
            coordinated = await Coordination.AccountsOfRequesterAsync(context, coordinators).ConfigureAwait(false);
            if (coordinated.Count == 0)
                return ChangeReplies.Denied(request.Type);
        }
        var change = clock.For(context);
        var (result, removed) = await context.Storage.ChangeAsync(scope =>
        {
            var plan = removal.PlanByCondition(scope, request.Condition);
            if (coordinated is not null && plan.Clusters.Any(part => part.Rows.Any(row => !coordinated.Contains(row.Acct))))
                return (new RemoveResult([], SlurmError.AccessDenied), new List<AssociationRecord>());
            if (plan.Refusal is { } refusal)
                return (refusal, []);
            var lines = AssociationRemoval.Lines(plan);
            if (lines.Count == 0)
                return (new RemoveResult([], SlurmError.NoChangeInData), []);
            return (new RemoveResult(lines, SlurmError.Success), removal.Apply(scope, plan, DbdMessageType.RemoveAssocs, change));
        }).ConfigureAwait(false);
        if (result.ReturnCode == SlurmError.AccessDenied)
        {
            await context.Storage.RollbackAsync().ConfigureAwait(false);
            return ChangeReplies.Denied(request.Type);
        }
        if (result.ReturnCode != SlurmError.Success)
            await context.Storage.RollbackAsync().ConfigureAwait(false);
        else
            context.Storage.QueueUpdate(new UpdateObject<AssociationRecord>(UpdateType.RemoveAssoc, removed));
        return ChangeReplies.Removed(result);
    }
}
