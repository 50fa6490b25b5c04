using Accounting.Dbd.Authorization;
using Accounting.Dbd.Configuration;
using Accounting.Dbd.Hosting;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>Users (records spec §6.3–6.4): operators change them, coordinators may add, users their own defaults.</summary>
public sealed class UserHandlers(
    UserRepository users,
    CoordinatorRepository coordinators,
    Privileges privileges,
    ChangeClock clock,
    AccountingPolicy policy,
    ConfigHolder config,
    UsageRepository usage) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table)
    {
        table.On<ConditionMessage<UserCondition>>(DbdMessageType.GetUsers, GetUsersAsync);
        table.On<ListMessage<UserRecord>>(DbdMessageType.AddUsers, AddUsersAsync);
        table.On<ModifyMessage<UserCondition, UserRecord>>(DbdMessageType.ModifyUsers, ModifyUsersAsync);
        table.On<ConditionMessage<UserCondition>>(DbdMessageType.RemoveUsers, RemoveUsersAsync);
    }

    /// <summary>
    /// DBD_GET_USERS. proc_req.c _get_users: a request for defaults only (only_defs without with_assocs or
    /// with_wckeys) and no cluster list looks at the cluster the connection named in its persist-init, so
    /// the default account shown is the one on the client's ClusterName (records spec §6.3). With
    /// PrivateData=users a reader below Operator sees only their own record.
    /// </summary>
    private async Task<IDbdMessage> GetUsersAsync(RequestContext context, ConditionMessage<UserCondition> request)
    {
        var condition = request.Condition;
        if (condition.WithAssocs == 0 && condition.WithWckeys == 0 && condition.AssociationCondition.OnlyDefaults != 0
            && condition.AssociationCondition.ClusterList is null)
            condition = condition with
            {
                AssociationCondition = condition.AssociationCondition with { ClusterList = [context.Connection.ClusterName ?? ""] },
            };
        var reader = await PrivateReader.OfAsync(context, PrivateData.Users, config, privileges, users, coordinators).ConfigureAwait(false);
        var assocCondition = condition.AssociationCondition;
        bool withUsage = condition.WithAssocs != 0 && assocCondition.WithUsage != 0;
        var records = await context.Storage.ReadAsync(scope =>
        {
            var found = users.Find(scope, condition);
            if (!withUsage)
                return found;
            // as_mysql_get_users reads the associations with the user condition's assoc_cond, usage included:
            // one usage read for every user's associations, handed back to each by cluster and id.
            var withLists = usage.WithAssociationUsage(scope, found.SelectMany(u => u.AssociationList ?? []).ToList(),
                    assocCondition.UsageStart, assocCondition.UsageEnd)
                .ToDictionary(a => (a.Cluster, a.Id));
            return found.Select(u => u.AssociationList is null
                ? u
                : u with { AssociationList = u.AssociationList.Select(a => withLists[(a.Cluster, a.Id)]).ToList() }).ToList();
        }).ConfigureAwait(false);
        return new ListMessage<UserRecord>(DbdMessageType.GotUsers, reader?.Visible(records) ?? records);
    }

    /// <summary>DBD_ADD_USERS: Operator or any coordinator (as_mysql_add_users); a failed association add undoes everything.</summary>
    private async Task<IDbdMessage> AddUsersAsync(RequestContext context, ListMessage<UserRecord> request)
    {
        if (!await Coordination.IsOperatorOrCoordinatorAsync(context, privileges, coordinators).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var change = clock.For(context);
        var result = await context.Storage.ChangeAsync(scope => users.Add(scope, request.Items ?? [], change, policy.AllowNoDefaultAccount))
            .ConfigureAwait(false);
        if (result.ReturnCode != SlurmError.Success && result.Users.Count == 0)
        {
            await context.Storage.RollbackAsync().ConfigureAwait(false);
            return ChangeReplies.Added(request.Type, result.ReturnCode, null);
        }
        if (result.Users.Count > 0)
            context.Storage.QueueUpdate(new UpdateObject<UserRecord>(UpdateType.AddUser, result.Users));
        if (result.Associations.Count > 0)
            context.Storage.QueueUpdate(new UpdateObject<AssociationRecord>(UpdateType.AddAssoc, result.Associations));
        if (result.Wckeys.Count > 0)
            context.Storage.QueueUpdate(new UpdateObject<WckeyRecord>(UpdateType.AddWckey, result.Wckeys));
        return ChangeReplies.Added(request.Type, result.ReturnCode, null);
    }

    /// <summary>
    /// DBD_MODIFY_USERS (proc_req.c _modify_users; records spec §1.6): Operator, and SuperUser to change an
    /// admin level; anybody else only their own default account and wckey.
    /// </summary>
    private async Task<IDbdMessage> ModifyUsersAsync(RequestContext context, ModifyMessage<UserCondition, UserRecord> request)
    {
        var level = await privileges.AdminLevelAsync(context).ConfigureAwait(false);
        var changes = request.Record;
        if (level < Storage.AdminLevel.Operator)
        {
            string? self = UnixUsers.NameOf(context.Connection.Uid);
            if (self is null || request.Condition.AssociationCondition.UserList is not [var only] || only != self)
                return ChangeReplies.Denied(request.Type);
            changes = new UserRecord { DefaultAccount = changes.DefaultAccount, DefaultWckey = changes.DefaultWckey };
        }
        else if (changes.AdminLevel != Model.Records.AdminLevel.NotSet && level < Storage.AdminLevel.Administrator)
            return ChangeReplies.Denied(request.Type);
        var change = clock.For(context);
        var outcome = await context.Storage.ChangeAsync(scope => users.Modify(scope, request.Condition, changes, change)).ConfigureAwait(false);
        if (outcome.Result.Names is { Count: > 0 })
        {
            context.Storage.QueueUpdate(new UpdateObject<UserRecord>(UpdateType.ModifyUser, outcome.Users));
            if (outcome.Associations.Count > 0)
                context.Storage.QueueUpdate(new UpdateObject<AssociationRecord>(UpdateType.ModifyAssoc, outcome.Associations));
        }
        else if (outcome.Result.Names is not null || outcome.Result.ErrorCode != SlurmError.NoChangeInData)
            await context.Storage.RollbackAsync().ConfigureAwait(false);
        return ChangeReplies.Modified(request.Type, outcome.Result);
    }

    /// <summary>DBD_REMOVE_USERS: Operator (as_mysql_remove_users).</summary>
    private async Task<IDbdMessage> RemoveUsersAsync(RequestContext context, ConditionMessage<UserCondition> request)
    {
        if (!await privileges.IsOperatorAsync(context).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var change = clock.For(context);
        var outcome = await context.Storage.ChangeAsync(scope => users.Remove(scope, request.Condition, change)).ConfigureAwait(false);
        if (outcome.Result.ReturnCode != SlurmError.Success)
            await context.Storage.RollbackAsync().ConfigureAwait(false);
        else
        {
            context.Storage.QueueUpdate(new UpdateObject<UserRecord>(UpdateType.RemoveUser, outcome.Users));
            if (outcome.Associations.Count > 0)
                context.Storage.QueueUpdate(new UpdateObject<AssociationRecord>(UpdateType.RemoveAssoc, outcome.Associations));
        }
        return ChangeReplies.Removed(outcome.Result);
    }
}
