using Accounting.Dbd.Authorization;
using Accounting.Dbd.Configuration;
using Accounting.Dbd.Hosting;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>Accounts (records spec §6.1–6.2): operators change them; coordinators may add.</summary>
public sealed class AccountHandlers(
    AccountRepository accounts,
    CoordinatorRepository coordinators,
    Privileges privileges,
    ChangeClock clock,
    AccountingPolicy policy,
    UserRepository users,
    ConfigHolder config) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table)
    {
        table.On<ConditionMessage<AccountCondition>>(DbdMessageType.GetAccounts, GetAccountsAsync);
        table.On<ListMessage<AccountRecord>>(DbdMessageType.AddAccounts, AddAccountsAsync);
        table.On<ModifyMessage<AccountCondition, AccountRecord>>(DbdMessageType.ModifyAccounts, ModifyAccountsAsync);
        table.On<ConditionMessage<AccountCondition>>(DbdMessageType.RemoveAccounts, RemoveAccountsAsync);
    }

    /// <summary>DBD_GET_ACCOUNTS; with PrivateData=accounts a reader below Operator who coordinates nothing gets 2002.</summary>
    private async Task<IDbdMessage> GetAccountsAsync(RequestContext context, ConditionMessage<AccountCondition> request)
    {
        var reader = await PrivateReader.OfAsync(context, PrivateData.Accounts, config, privileges, users, coordinators).ConfigureAwait(false);
        if (reader is { IsCoordinator: false })
            return PersistRc.Failure(request.Type, SlurmError.AccessDenied, SlurmError.Describe(SlurmError.AccessDenied));
        var records = await context.Storage.ReadAsync(scope => accounts.Find(scope, request.Condition)).ConfigureAwait(false);
        return new ListMessage<AccountRecord>(DbdMessageType.GotAccounts, reader?.Visible(records) ?? records);
    }

    /// <summary>
    /// DBD_ADD_ACCOUNTS: Operator or any coordinator (as_mysql_add_accounts). The associations inside the
    /// records are added with them; a failure there undoes the whole pending transaction. proc_req.c
    /// answers without a comment except for 2002.
    /// </summary>
    private async Task<IDbdMessage> AddAccountsAsync(RequestContext context, ListMessage<AccountRecord> request)
    {
        if (!await Coordination.IsOperatorOrCoordinatorAsync(context, privileges, coordinators).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var change = clock.For(context);
        var result = await context.Storage.ChangeAsync(scope => accounts.Add(scope, request.Items ?? [], change, policy.AllowNoDefaultAccount))
            .ConfigureAwait(false);
        if (result.ReturnCode != SlurmError.Success)
            await context.Storage.RollbackAsync().ConfigureAwait(false);
        else if (result.Added.Count > 0)
            context.Storage.QueueUpdate(new UpdateObject<AssociationRecord>(UpdateType.AddAssoc, result.Added));
        return ChangeReplies.Added(request.Type, result.ReturnCode, null);
    }

    /// <summary>DBD_MODIFY_ACCOUNTS: Operator; only description and organization (as_mysql_modify_accounts).</summary>
    private async Task<IDbdMessage> ModifyAccountsAsync(RequestContext context, ModifyMessage<AccountCondition, AccountRecord> request)
    {
        if (!await privileges.IsOperatorAsync(context).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var change = clock.For(context);
        var result = await context.Storage.ChangeAsync(scope => accounts.Modify(scope, request.Condition, request.Record, change)).ConfigureAwait(false);
        return ChangeReplies.Modified(request.Type, result);
    }

    /// <summary>DBD_REMOVE_ACCOUNTS: Operator; with everything below the accounts (as_mysql_remove_accounts).</summary>
    private async Task<IDbdMessage> RemoveAccountsAsync(RequestContext context, ConditionMessage<AccountCondition> request)
    {
        if (!await privileges.IsOperatorAsync(context).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var change = clock.For(context);
        List<AssociationRecord> removed = [];
        var result = await context.Storage.ChangeAsync(scope => accounts.Remove(scope, request.Condition, change, out removed)).ConfigureAwait(false);
        if (result.ReturnCode != SlurmError.Success)
            await context.Storage.RollbackAsync().ConfigureAwait(false);
        else if (removed.Count > 0)
            context.Storage.QueueUpdate(new UpdateObject<AssociationRecord>(UpdateType.RemoveAssoc, removed));
        return ChangeReplies.Removed(result);
    }
}
