using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>slurmdb_admin_level_t as stored in user.admin_level.</summary>
public enum AdminLevel : ushort
{
    NotSet = 0,
    None = 1,
    Operator = 2,
    Administrator = 3,
}

/// <summary>The user table: accounting users and their admin levels (records spec §6.3–6.4, as_mysql_user.c).</summary>
public sealed class UserRepository(
    AssociationRepository associations,
    AssociationChanges associationChanges,
    AssociationModification associationModification,
    AssociationRemoval removal,
    CoordinatorRepository coordinators,
    WckeyRepository wckeys,
    TransactionLog transactions)
{
    private sealed class UserRow
    {
        public string Name { get; init; } = "";
        public ushort AdminLevel { get; init; }
        public bool Deleted { get; init; }
    }

    public AdminLevel AdminLevelOf(SqlScope scope, string userName) =>
        (AdminLevel)scope.Connection.ExecuteScalar<ushort?>(
            "SELECT admin_level FROM `user` WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256)) AND deleted = 0",
            new { Name = userName }, scope.Transaction).GetValueOrDefault((ushort)AdminLevel.None);

    public bool Exists(SqlScope scope, string userName) =>
        scope.Connection.ExecuteScalar<int>(
            "SELECT COUNT(*) FROM `user` WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256)) AND deleted = 0",
            new { Name = userName }, scope.Transaction) > 0;

    /// <summary>User root is an Administrator from the first start on (records spec §9.1).</summary>
    public void EnsureRootUser(SqlScope scope, long now) => scope.Connection.Execute("""
        INSERT INTO `user` (creation_time, mod_time, name, admin_level) VALUES (@Now, @Now, 'root', 3)
        ON DUPLICATE KEY UPDATE deleted = 0
        """, new { Now = now }, scope.Transaction);

    /// <summary>
    /// DBD_GET_USERS (as_mysql_get_users), in name order. with_assocs or only_defs read the users'
    /// associations with the condition's assoc_cond (always user associations): the default account is the
    /// first default among them; with_wckeys or only_defs the same for wckeys, "" when there is none.
    /// </summary>
    public List<UserRecord> Find(SqlScope scope, UserCondition condition)
    {
        var assocCondition = condition.AssociationCondition;
        var names = assocCondition.UserList is { Count: > 0 } given ? given.ToList() : null;
        if (condition.DefaultAccountList is { Count: > 0 } || condition.DefaultWckeyList is { Count: > 0 })
        {
            // _get_other_user_names_to_mod: users whose default account / wckey is listed join the names.
            var byDefaults = UsersWithDefaults(scope, condition);
            if (byDefaults.Count == 0)
                return [];
            names = [.. names ?? [], .. byDefaults];
        }
        var filter = new SqlFilter();
        if (condition.WithDeleted == 0)
            filter.Where("deleted = 0");
        filter.In("name", names);
        if (condition.AdminLevel != Model.Records.AdminLevel.NotSet)
            filter.Where("admin_level = @value", (ushort)condition.AdminLevel);
        var rows = scope.Connection.Query<UserRow>($"SELECT name, admin_level, deleted FROM `user`{filter.WhereClause} ORDER BY name",
            filter.Parameters, scope.Transaction).ToList();

        var users = rows.Select(row => new UserRecord
        {
            AdminLevel = (Model.Records.AdminLevel)row.AdminLevel,
            CoordAccounts = condition.WithCoords != 0 ? coordinators.CoordinatedAccounts(scope, row.Name) : null,
            Flags = row.Deleted ? UserRecord.FlagDeleted : 0,
            Name = row.Name,
        }).ToList();
        if (users.Count == 0)
            return users;

        bool onlyDefaults = assocCondition.OnlyDefaults != 0;
        if (condition.WithAssocs != 0 || onlyDefaults)
        {
            var found = associations.Find(scope, assocCondition with
            {
                UserList = assocCondition.UserList ?? [],
                WithDeleted = condition.WithDeleted,
            });
            var byUser = found.GroupBy(a => a.User ?? "", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            users = users.Select(user => byUser.TryGetValue(user.Name!, out var own)
                ? user with
                {
                    DefaultAccount = own.FirstOrDefault(a => a.IsDefault == 1)?.Account,
                    AssociationList = condition.WithAssocs != 0 ? own : null,
                }
                : user).ToList();
        }
        if (condition.WithWckeys != 0 || onlyDefaults)
        {
            var found = wckeys.Find(scope, new WckeyCondition
            {
                UserList = assocCondition.UserList,
                ClusterList = assocCondition.ClusterList,
                OnlyDefaults = assocCondition.OnlyDefaults,
            });
            var byUser = found.GroupBy(w => w.User ?? "", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            users = users.Select(user =>
            {
                var own = byUser.GetValueOrDefault(user.Name!);
                return user with
                {
                    DefaultWckey = own?.FirstOrDefault(w => w.IsDefault == 1)?.Name ?? "",
                    WckeyList = condition.WithWckeys != 0 ? own : null,
                };
            }).ToList();
        }
        return users;
    }

    private List<string> UsersWithDefaults(SqlScope scope, UserCondition condition)
    {
        var names = new List<string>();
        if (condition.DefaultAccountList is { Count: > 0 } accounts)
            names.AddRange(associations.Find(scope, new AssociationCondition
            {
                AccountList = accounts,
                ClusterList = condition.AssociationCondition.ClusterList,
                UserList = condition.AssociationCondition.UserList ?? [],
                OnlyDefaults = 1,
            }).Select(a => a.User!));
        if (condition.DefaultWckeyList is { Count: > 0 } defaultWckeys)
            names.AddRange(wckeys.Find(scope, new WckeyCondition
            {
                NameList = defaultWckeys,
                ClusterList = condition.AssociationCondition.ClusterList,
                UserList = condition.AssociationCondition.UserList,
                OnlyDefaults = 1,
            }).Select(w => w.User!));
        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>What DBD_ADD_USERS did: its return code and what the controllers learn.</summary>
    public sealed record AddResult(int ReturnCode, List<UserRecord> Users, List<AssociationRecord> Associations, List<WckeyRecord> Wckeys);

    /// <summary>
    /// DBD_ADD_USERS (as_mysql_add_users): a name is required (else SLURM_ERROR, the others still added);
    /// the user is inserted or revived with its admin level, NotSet stored as None, also on re-add. Then
    /// the associations every record carries are added (those of its default account as default), and its
    /// wckeys. coord_accts is ignored.
    /// </summary>
    public AddResult Add(SqlScope scope, IReadOnlyList<UserRecord> records, ChangeContext change, bool allowNoDefaultAccount)
    {
        int rc = SlurmError.Success;
        var users = new List<UserRecord>();
        var carried = new List<AssociationRecord>();
        var carriedWckeys = new List<WckeyRecord>();
        foreach (var user in records)
        {
            if (string.IsNullOrEmpty(user.Name))
            {
                rc = SlurmError.Error;
                continue;
            }
            var level = user.AdminLevel == Model.Records.AdminLevel.NotSet ? Model.Records.AdminLevel.None : user.AdminLevel;
            scope.Connection.Execute("""
                INSERT INTO `user` (creation_time, mod_time, name, admin_level) VALUES (@Now, @Now, @Name, @Level)
                ON DUPLICATE KEY UPDATE deleted = 0, mod_time = @Now, admin_level = @Level
                """, new { change.Now, user.Name, Level = (ushort)level }, scope.Transaction);
            transactions.Record(scope, DbdMessageType.AddUsers, user.Name, change.Actor, $"admin_level={(ushort)level}", change.Now);
            users.Add(user with { AdminLevel = level, AssociationList = null, WckeyList = null, CoordAccounts = null });
            carried.AddRange((user.AssociationList ?? []).Select(assoc => user.DefaultAccount is { } defaultAccount && assoc.Account == defaultAccount
                ? assoc with { IsDefault = 1 }
                : assoc));
            carriedWckeys.AddRange((user.WckeyList ?? []).Select(wckey => user.DefaultWckey is { } defaultWckey && wckey.Name == defaultWckey
                ? wckey with { IsDefault = 1 }
                : wckey));
        }
        var addedAssociations = new List<AssociationRecord>();
        if (carried.Count > 0)
        {
            var added = associationChanges.Add(scope, carried, change, allowNoDefaultAccount);
            if (added.ReturnCode != SlurmError.Success)
                return new AddResult(added.ReturnCode, [], [], []);
            addedAssociations = added.Added;
        }
        var addedWckeys = new List<WckeyRecord>();
        if (carriedWckeys.Count > 0)
        {
            var (wckeyRc, wckeysAdded) = wckeys.Add(scope, carriedWckeys, change);
            if (wckeyRc != SlurmError.Success)
                rc = wckeyRc;
            addedWckeys = wckeysAdded;
        }
        return new AddResult(rc, users, addedAssociations, addedWckeys);
    }

    /// <summary>What DBD_MODIFY_USERS changed, and the controllers' records.</summary>
    public sealed record ModifyOutcome(ModifyResult Result, List<UserRecord> Users, List<AssociationRecord> Associations);

    /// <summary>
    /// DBD_MODIFY_USERS (as_mysql_modify_users): admin level (unless NotSet) and a rename (one user only,
    /// else 7003) on the user rows; a default account through an association modify setting is_def on that
    /// account's associations of these users, on the condition's clusters; a default wckey likewise.
    /// Returns the user names matched.
    /// </summary>
    public ModifyOutcome Modify(SqlScope scope, UserCondition condition, UserRecord changes, ChangeContext change)
    {
        var set = new List<string>();
        if (changes.AdminLevel != Model.Records.AdminLevel.NotSet)
            set.Add($"admin_level={(ushort)changes.AdminLevel}");
        if (changes.Name is not null)
            set.Add($"name='{changes.Name}'");
        if (set.Count == 0 && changes.DefaultAccount is null && changes.DefaultWckey is null)
            return new ModifyOutcome(ModifyResult.NothingToChange, [], []);

        var names = Find(scope, condition with { WithAssocs = 0, WithCoords = 0, WithWckeys = 0, WithDeleted = 0,
            AssociationCondition = condition.AssociationCondition with { OnlyDefaults = 0 } }).Select(u => u.Name!).ToList();
        if (names.Count == 0)
            return new ModifyOutcome(ModifyResult.Changed([]), [], []);
        if (changes.Name is not null && names.Count > 1)
            return new ModifyOutcome(ModifyResult.Failed(SlurmError.OneChange), [], []);

        var updatedAssociations = new List<AssociationRecord>();
        if (changes.DefaultAccount is { Length: > 0 } defaultAccount)
        {
            var outcome = associationModification.Modify(scope, new AssociationCondition
            {
                AccountList = [defaultAccount],
                ClusterList = condition.AssociationCondition.ClusterList,
                UserList = names,
            }, new AssociationRecord { IsDefault = 1, Priority = SlurmValues.NoVal }, AssociationModification.Access.Operator, change);
            if (outcome.Result.Names is null && outcome.Result.ErrorCode != SlurmError.NoChangeInData)
                return new ModifyOutcome(outcome.Result, [], []);
            updatedAssociations = outcome.Updates;
        }
        if (changes.DefaultWckey is { } defaultWckey)
            SetDefaultWckey(scope, names, defaultWckey, condition.AssociationCondition.ClusterList, change);

        foreach (string name in names)
        {
            if (set.Count == 0)
                break;
            scope.Connection.Execute("""
                UPDATE `user` SET mod_time = @Now,
                    admin_level = IF(@Level = 0, admin_level, @Level), name = COALESCE(@NewName, name)
                WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256))
                """, new { change.Now, Level = (ushort)changes.AdminLevel, NewName = changes.Name, Name = name }, scope.Transaction);
            if (changes.Name is { } newName)
                Rename(scope, name, newName);
            transactions.Record(scope, DbdMessageType.ModifyUsers, $"(name='{name}')", change.Actor, string.Join(", ", set), change.Now);
        }
        var users = names.Select(name => new UserRecord
        {
            AdminLevel = changes.AdminLevel,
            DefaultAccount = changes.DefaultAccount,
            DefaultWckey = changes.DefaultWckey,
            Name = changes.Name ?? name,
            OldName = changes.Name is null ? null : name,
        }).ToList();
        return new ModifyOutcome(ModifyResult.Changed(names), users, updatedAssociations);
    }

    /// <summary>_change_user_name: the user's associations, wckeys and coordinator rows follow the new name.</summary>
    private static void Rename(SqlScope scope, string oldName, string newName) => scope.Connection.Execute("""
        UPDATE assoc SET `user` = @NewName WHERE user_hash = UNHEX(SHA2(RTRIM(@OldName), 256));
        UPDATE wckey SET `user` = @NewName WHERE user_hash = UNHEX(SHA2(RTRIM(@OldName), 256));
        UPDATE acct_coord SET `user` = @NewName WHERE user_hash = UNHEX(SHA2(RTRIM(@OldName), 256))
        """, new { OldName = oldName, NewName = newName }, scope.Transaction);

    private static void SetDefaultWckey(SqlScope scope, List<string> users, string wckey, IReadOnlyCollection<string>? clusters, ChangeContext change)
    {
        var filter = new SqlFilter().Where("w.deleted = 0").In("w.`user`", users).In("c.name", clusters);
        scope.Connection.Execute($"""
            UPDATE wckey w JOIN cluster c ON c.id = w.cluster_id SET w.is_def = IF(w.wckey_name = @Wckey, 1, 0), w.mod_time = @Now
            {filter.WhereClause} AND EXISTS (SELECT 1 FROM (SELECT * FROM wckey) o
                WHERE o.cluster_id = w.cluster_id AND o.`user` = w.`user` AND o.wckey_name = @Wckey AND o.deleted = 0)
            """, WithWckey(filter, wckey, change.Now), scope.Transaction);
    }

    private static DynamicParameters WithWckey(SqlFilter filter, string wckey, long now)
    {
        filter.Parameters.Add("Wckey", wckey);
        filter.Parameters.Add("Now", now);
        return filter.Parameters;
    }

    /// <summary>What DBD_REMOVE_USERS removed, and the controllers' records.</summary>
    public sealed record RemoveOutcome(RemoveResult Result, List<UserRecord> Users, List<AssociationRecord> Associations);

    /// <summary>
    /// DBD_REMOVE_USERS (as_mysql_remove_users): coordinator rows, wckeys and every association of the users
    /// on every cluster; refused with the job list (7001) when one runs. User rows younger than a day that
    /// never ran a job are deleted, others flagged (records spec §9.4). Returns the names.
    /// </summary>
    public RemoveOutcome Remove(SqlScope scope, UserCondition condition, ChangeContext change)
    {
        var names = Find(scope, condition with { WithAssocs = 0, WithCoords = 0, WithWckeys = 0, WithDeleted = 0,
            AssociationCondition = condition.AssociationCondition with { OnlyDefaults = 0 } }).Select(u => u.Name!).ToList();
        if (names.Count == 0)
            return new RemoveOutcome(new RemoveResult([], SlurmError.NoChangeInData), [], []);
        var plan = removal.PlanByUsers(scope, names);
        if (plan.Refusal is { } refusal)
            return new RemoveOutcome(refusal, [], []);

        foreach (string name in names)
        {
            bool usedByJobs = plan.Clusters.Any(part => part.Rows.Any(r => r.User == name) && scope.Connection.ExecuteScalar<int>(
                "SELECT EXISTS (SELECT 1 FROM job WHERE cluster_id = @ClusterId AND id_assoc IN @Ids)",
                new { part.ClusterId, Ids = part.Rows.Where(r => r.User == name).Select(r => r.IdAssoc).ToList() }, scope.Transaction) == 1);
            scope.Connection.Execute(usedByJobs
                ? "UPDATE `user` SET deleted = 1, mod_time = @Now WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256)) AND deleted = 0"
                : "DELETE FROM `user` WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256)) AND creation_time > @DayOld; "
                  + "UPDATE `user` SET deleted = 1, mod_time = @Now WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256)) AND deleted = 0",
                new { Name = name, change.Now, change.DayOld }, scope.Transaction);
            coordinators.RemoveUser(scope, name, change);
            wckeys.RemoveUser(scope, name, change);
            transactions.Record(scope, DbdMessageType.RemoveUsers, $"name='{name}'", change.Actor, "", change.Now);
        }
        var removedAssociations = removal.Apply(scope, plan, DbdMessageType.RemoveUsers, change);
        return new RemoveOutcome(new RemoveResult(names, SlurmError.Success), names.Select(n => new UserRecord { Name = n }).ToList(), removedAssociations);
    }
}
