using Accounting.Dbd.Authorization;
using Accounting.Dbd.Storage;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// is_user_any_coord and the coordinator checks of proc_req.c / as_mysql_*: the accounts the requesting
/// user coordinates (directly or below), for the operations coordinators may do without AdminLevel.
/// </summary>
public static class Coordination
{
    public static async Task<HashSet<string>> AccountsOfRequesterAsync(RequestContext context, CoordinatorRepository coordinators)
    {
        string? user = UnixUsers.NameOf(context.Connection.Uid);
        if (user is null)
            return [];
        var accounts = await context.Storage.ReadAsync(scope => coordinators.AccountsCoordinatedBy(scope, user)).ConfigureAwait(false);
        return accounts.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Who may add accounts and users: an operator, or anyone who coordinates some account.</summary>
    public static async Task<bool> IsOperatorOrCoordinatorAsync(RequestContext context, Privileges privileges, CoordinatorRepository coordinators) =>
        await privileges.IsOperatorAsync(context).ConfigureAwait(false)
        || (await AccountsOfRequesterAsync(context, coordinators).ConfigureAwait(false)).Count > 0;
}
