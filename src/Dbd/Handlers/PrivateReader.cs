using Accounting.Dbd.Authorization;
using Accounting.Dbd.Configuration;
using Accounting.Dbd.Hosting;
using Accounting.Dbd.Storage;
using Accounting.Model.Records;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// A reader whom PrivateData=accounts or users restricts (as_mysql_get_accts, as_mysql_get_users,
/// as_mysql_get_assocs): anyone below Operator while the flag is set. Such a reader sees the accounts
/// they coordinate (sub-accounts included) and no others, only their own user record, and only the
/// associations that are, or are above, their own and those of the accounts they coordinate.
/// </summary>
public sealed class PrivateReader
{
    private readonly string _name;
    private readonly HashSet<string> _coordinated;

    private PrivateReader(string name, bool isUser, HashSet<string> coordinated)
    {
        _name = name;
        IsUser = isUser;
        _coordinated = coordinated;
    }

    /// <summary>Has a user record: slurmdbd finds none for an unknown uid and returns an empty list.</summary>
    public bool IsUser { get; }

    /// <summary>is_user_any_coord: the account query is denied to anyone else.</summary>
    public bool IsCoordinator => _coordinated.Count > 0;

    /// <summary>Null when nothing is hidden from this reader: the flag is off, or they are an operator.</summary>
    public static async Task<PrivateReader?> OfAsync(RequestContext context, PrivateData hiding, ConfigHolder config,
        Privileges privileges, UserRepository users, CoordinatorRepository coordinators)
    {
        if ((config.Current.PrivateData & hiding) == 0 || await privileges.IsOperatorAsync(context).ConfigureAwait(false))
            return null;
        string name = UnixUsers.NameOf(context.Connection.Uid) ?? "";
        bool isUser = name.Length > 0 && await context.Storage.ReadAsync(scope => users.Exists(scope, name)).ConfigureAwait(false);
        var coordinated = await Coordination.AccountsOfRequesterAsync(context, coordinators).ConfigureAwait(false);
        return new PrivateReader(name, isUser, coordinated);
    }

    public List<AccountRecord> Visible(List<AccountRecord> accounts) => accounts.Where(a => _coordinated.Contains(a.Name ?? "")).ToList();

    public List<UserRecord> Visible(List<UserRecord> records) => IsUser ? records.Where(u => u.Name == _name).ToList() : [];

    /// <summary>
    /// The reference keeps a row when the lft of one of the reader's rows (theirs, or of an account they
    /// coordinate) lies within its lft..rgt, so a reader sees the paths from the root down to those rows.
    /// </summary>
    public async Task<List<AssociationRecord>> VisibleAsync(RequestContext context, AssociationRepository associations, List<AssociationRecord> records)
    {
        if (!IsUser)
            return [];
        var anchors = await context.Storage.ReadAsync(scope => associations.LftsOf(scope, _name, _coordinated)).ConfigureAwait(false);
        return records.Where(r => anchors.Any(a => a.Cluster == r.Cluster && a.Lft >= r.Lft && a.Lft <= r.Rgt)).ToList();
    }
}
