using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>
/// The acct_coord table: who coordinates which accounts (records spec §6.4). Only direct assignments are
/// stored; a coordinator of an account coordinates everything below it in any cluster's tree.
/// </summary>
public sealed class CoordinatorRepository(TransactionLog transactions)
{
    /// <summary>
    /// The accounts a user coordinates: those named for them, and every account below those in any
    /// cluster's tree, since a coordinator of an account coordinates its sub-accounts too.
    /// </summary>
    public List<string> AccountsCoordinatedBy(SqlScope scope, string user) =>
        CoordinatedAccounts(scope, user).Select(c => c.Name!).ToList();

    /// <summary>_get_user_coords: the user's coord-recs, direct ones flagged 1, inherited sub-accounts 0, by name.</summary>
    public List<CoordinatorRecord> CoordinatedAccounts(SqlScope scope, string user)
    {
        var direct = scope.Connection.Query<string>(
            "SELECT acct FROM acct_coord WHERE user_hash = UNHEX(SHA2(RTRIM(@User), 256)) AND deleted = 0",
            new { User = user }, scope.Transaction).ToHashSet(StringComparer.Ordinal);
        var below = scope.Connection.Query<string>("""
            SELECT DISTINCT below.acct FROM acct_coord c
            JOIN assoc top ON top.acct = c.acct AND top.`user` = '' AND top.deleted = 0
            JOIN assoc below ON below.cluster_id = top.cluster_id AND below.`user` = '' AND below.deleted = 0
                AND below.lft BETWEEN top.lft AND top.rgt
            WHERE c.user_hash = UNHEX(SHA2(RTRIM(@User), 256)) AND c.deleted = 0
            """, new { User = user }, scope.Transaction);
        return direct.Select(name => new CoordinatorRecord(name, 1))
            .Concat(below.Where(name => !direct.Contains(name)).Distinct(StringComparer.Ordinal).Select(name => new CoordinatorRecord(name, 0)))
            .OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>_get_account_coords: the account's direct coordinators (1), then those of accounts above it (0), by name.</summary>
    public List<CoordinatorRecord> CoordinatorsOf(SqlScope scope, string account)
    {
        var direct = scope.Connection.Query<string>(
            "SELECT `user` FROM acct_coord WHERE acct_hash = UNHEX(SHA2(RTRIM(@Account), 256)) AND deleted = 0",
            new { Account = account }, scope.Transaction).ToHashSet(StringComparer.Ordinal);
        var above = scope.Connection.Query<string>("""
            SELECT DISTINCT c.`user` FROM acct_coord c
            JOIN assoc top ON top.acct = c.acct AND top.`user` = '' AND top.deleted = 0
            JOIN assoc below ON below.cluster_id = top.cluster_id AND below.`user` = '' AND below.deleted = 0
                AND below.lft BETWEEN top.lft AND top.rgt
            WHERE c.deleted = 0 AND below.acct = @Account AND top.acct <> @Account
            """, new { Account = account }, scope.Transaction);
        return direct.Select(name => new CoordinatorRecord(name, 1))
            .Concat(above.Where(name => !direct.Contains(name)).Distinct(StringComparer.Ordinal).Select(name => new CoordinatorRecord(name, 0)))
            .OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// DBD_ADD_ACCOUNT_COORDS (as_mysql_add_coord): every user becomes a direct coordinator of every
    /// account (revived if removed before). SLURM_ERROR without users or accounts. Returns the users with
    /// their coordinated accounts, for SLURMDB_ADD_COORD.
    /// </summary>
    public (int ReturnCode, List<UserRecord> Users) Add(SqlScope scope, IReadOnlyList<string>? accounts, IReadOnlyList<string>? users, ChangeContext change)
    {
        if (accounts is not { Count: > 0 } || users is not { Count: > 0 })
            return (SlurmError.Error, []);
        foreach (string user in users)
        {
            foreach (string account in accounts)
            {
                scope.Connection.Execute("""
                    INSERT INTO acct_coord (creation_time, mod_time, acct, `user`) VALUES (@Now, @Now, @Account, @User)
                    ON DUPLICATE KEY UPDATE deleted = 0, mod_time = @Now
                    """, new { change.Now, Account = account, User = user }, scope.Transaction);
                transactions.Record(scope, DbdMessageType.AddAccountCoords, user, change.Actor, account, change.Now);
            }
        }
        return (SlurmError.Success, users.Select(user => new UserRecord
        {
            Name = user,
            CoordAccounts = CoordinatedAccounts(scope, user),
        }).ToList());
    }

    private sealed class Assignment
    {
        public string User { get; init; } = "";
        public string Acct { get; init; } = "";
        public long CreationTime { get; init; }
    }

    /// <summary>
    /// DBD_REMOVE_ACCOUNT_COORDS (as_mysql_remove_coord): the direct assignments of the listed users to
    /// the listed accounts (either list may be absent: all), "U = %-9s A = %-10s" lines ordered by user.
    /// Also returns the users touched, for SLURMDB_REMOVE_COORD.
    /// </summary>
    public (List<string> Lines, List<UserRecord> Users) Remove(SqlScope scope, IReadOnlyList<string>? accounts, IReadOnlyList<string>? users, ChangeContext change)
    {
        if (accounts is not { Count: > 0 } && users is not { Count: > 0 })
            return ([], []);
        var filter = new SqlFilter().Where("deleted = 0").In("acct", accounts).In("`user`", users);
        var assignments = scope.Connection.Query<Assignment>(
            $"SELECT `user`, acct, creation_time FROM acct_coord{filter.WhereClause} ORDER BY `user`, acct", filter.Parameters, scope.Transaction).ToList();
        foreach (var assignment in assignments)
            Drop(scope, assignment, change);
        var touched = assignments.Select(a => a.User).Distinct(StringComparer.Ordinal)
            .Select(user => new UserRecord { Name = user, CoordAccounts = CoordinatedAccounts(scope, user) }).ToList();
        return (assignments.Select(a => $"U = {a.User,-9} A = {a.Acct,-10}").ToList(), touched);
    }

    /// <summary>A removed account takes its coordinator assignments with it.</summary>
    public void RemoveAccount(SqlScope scope, string account, ChangeContext change)
    {
        foreach (var assignment in scope.Connection.Query<Assignment>(
            "SELECT `user`, acct, creation_time FROM acct_coord WHERE acct_hash = UNHEX(SHA2(RTRIM(@Account), 256)) AND deleted = 0",
            new { Account = account }, scope.Transaction).ToList())
            Drop(scope, assignment, change);
    }

    /// <summary>A removed user stops coordinating anything.</summary>
    public void RemoveUser(SqlScope scope, string user, ChangeContext change)
    {
        foreach (var assignment in scope.Connection.Query<Assignment>(
            "SELECT `user`, acct, creation_time FROM acct_coord WHERE user_hash = UNHEX(SHA2(RTRIM(@User), 256)) AND deleted = 0",
            new { User = user }, scope.Transaction).ToList())
            Drop(scope, assignment, change);
    }

    /// <summary>remove_common for acct_coord: gone if younger than a day, else flagged.</summary>
    private void Drop(SqlScope scope, Assignment assignment, ChangeContext change)
    {
        scope.Connection.Execute(assignment.CreationTime > change.DayOld
            ? "DELETE FROM acct_coord WHERE acct_hash = UNHEX(SHA2(RTRIM(@Acct), 256)) AND user_hash = UNHEX(SHA2(RTRIM(@User), 256))"
            : "UPDATE acct_coord SET deleted = 1, mod_time = @Now WHERE acct_hash = UNHEX(SHA2(RTRIM(@Acct), 256)) AND user_hash = UNHEX(SHA2(RTRIM(@User), 256))",
            new { assignment.Acct, assignment.User, change.Now }, scope.Transaction);
        transactions.Record(scope, DbdMessageType.RemoveAccountCoords, $"(user='{assignment.User}') && (acct='{assignment.Acct}')", change.Actor, "", change.Now);
    }
}
