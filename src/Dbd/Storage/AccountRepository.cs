using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>The acct table: accounts (records spec §6.2, as_mysql_acct.c).</summary>
public sealed class AccountRepository(
    AssociationRepository associations,
    AssociationChanges associationChanges,
    AssociationRemoval removal,
    CoordinatorRepository coordinators,
    TransactionLog transactions)
{
    private sealed class AccountRow
    {
        public string Name { get; init; } = "";
        public string Description { get; init; } = "";
        public string Organization { get; init; } = "";
        public bool Deleted { get; init; }
    }

    /// <summary>Account root exists from the first start on (records spec §9.1).</summary>
    public void EnsureRootAccount(SqlScope scope, long now) => scope.Connection.Execute("""
        INSERT INTO acct (creation_time, mod_time, name, description, organization)
        VALUES (@Now, @Now, 'root', 'default root account', 'root')
        ON DUPLICATE KEY UPDATE deleted = 0
        """, new { Now = now }, scope.Transaction);

    /// <summary>
    /// DBD_GET_ACCOUNTS, in name order (the reference's primary key). With with_coords every account
    /// carries its coordinators (maybe none); with with_assocs its associations, or no list when none
    /// matched (records spec §6.1–6.2).
    /// </summary>
    public List<AccountRecord> Find(SqlScope scope, AccountCondition condition)
    {
        var rows = Matching(scope, condition, condition.WithDeleted != 0);
        var byAccount = new Dictionary<string, List<AssociationRecord>>(StringComparer.Ordinal);
        if (condition.WithAssocs != 0 && rows.Count > 0)
        {
            var found = associations.Find(scope, condition.AssociationCondition with
            {
                AccountList = rows.Select(r => r.Name).ToList(),
                WithDeleted = condition.WithDeleted,
            });
            foreach (var group in found.GroupBy(a => a.Account ?? "", StringComparer.Ordinal))
                byAccount[group.Key] = group.ToList();
        }
        return rows.Select(row => new AccountRecord
        {
            AssociationList = byAccount.GetValueOrDefault(row.Name),
            Coordinators = condition.WithCoords != 0 ? coordinators.CoordinatorsOf(scope, row.Name) : null,
            Description = row.Description,
            Flags = row.Deleted ? AccountRecord.FlagDeleted : 0,
            Name = row.Name,
            Organization = row.Organization,
        }).ToList();
    }

    /// <summary>_setup_acct_cond_limits: names from the association condition's account list, descriptions, organizations.</summary>
    private static List<AccountRow> Matching(SqlScope scope, AccountCondition condition, bool withDeleted)
    {
        var filter = new SqlFilter();
        if (!withDeleted)
            filter.Where("deleted = 0");
        filter.In("name", condition.AssociationCondition.AccountList).In("description", condition.DescriptionList)
            .In("organization", condition.OrganizationList);
        return scope.Connection.Query<AccountRow>(
            $"SELECT name, description, organization, deleted FROM acct{filter.WhereClause} ORDER BY name",
            filter.Parameters, scope.Transaction).ToList();
    }

    /// <summary>
    /// DBD_ADD_ACCOUNTS (as_mysql_add_accounts): each account needs a name, description and organization
    /// (else SLURM_ERROR, the others are still added); an existing or removed one is overwritten and
    /// revived. Then the associations every record carries go through the association add, whose result
    /// is the reply.
    /// </summary>
    public AssociationChanges.AddResult Add(SqlScope scope, IReadOnlyList<AccountRecord> records, ChangeContext change, bool allowNoDefaultAccount)
    {
        int rc = SlurmError.Success;
        var carried = new List<AssociationRecord>();
        foreach (var account in records)
        {
            if (string.IsNullOrEmpty(account.Name) || string.IsNullOrEmpty(account.Description) || string.IsNullOrEmpty(account.Organization))
            {
                rc = SlurmError.Error;
                continue;
            }
            scope.Connection.Execute("""
                INSERT INTO acct (creation_time, mod_time, name, description, organization)
                VALUES (@Now, @Now, @Name, @Description, @Organization)
                ON DUPLICATE KEY UPDATE deleted = 0, mod_time = @Now, description = @Description, organization = @Organization
                """, new { change.Now, account.Name, account.Description, account.Organization }, scope.Transaction);
            transactions.Record(scope, DbdMessageType.AddAccounts, account.Name, change.Actor,
                $"description='{account.Description}', organization='{account.Organization}'", change.Now);
            carried.AddRange(account.AssociationList ?? []);
        }
        if (carried.Count == 0)
            return new AssociationChanges.AddResult(rc, []);
        var added = associationChanges.Add(scope, carried, change, allowNoDefaultAccount);
        return added.ReturnCode == SlurmError.Success ? added with { ReturnCode = rc } : added;
    }

    /// <summary>
    /// DBD_MODIFY_ACCOUNTS (as_mysql_modify_accounts): only description and organization change; limits
    /// travel as a separate DBD_MODIFY_ASSOCS. Returns the names changed.
    /// </summary>
    public ModifyResult Modify(SqlScope scope, AccountCondition condition, AccountRecord changes, ChangeContext change)
    {
        var set = new List<string>();
        if (changes.Description is not null)
            set.Add($"description='{changes.Description}'");
        if (changes.Organization is not null)
            set.Add($"organization='{changes.Organization}'");
        if (set.Count == 0)
            return ModifyResult.NothingToChange;
        var names = Matching(scope, condition, withDeleted: false).Select(r => r.Name).ToList();
        foreach (string name in names)
        {
            scope.Connection.Execute("""
                UPDATE acct SET mod_time = @Now, description = COALESCE(@Description, description),
                    organization = COALESCE(@Organization, organization)
                WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256))
                """, new { change.Now, changes.Description, changes.Organization, Name = name }, scope.Transaction);
            transactions.Record(scope, DbdMessageType.ModifyAccounts, $"(name='{name}')", change.Actor, string.Join(", ", set), change.Now);
        }
        return ModifyResult.Changed(names);
    }

    /// <summary>
    /// DBD_REMOVE_ACCOUNTS (as_mysql_remove_accounts): the accounts' coordinator rows, then on every cluster
    /// all their associations with everything below them. Refused, nothing removed, when a job runs there
    /// (7001) or a user would lose a default account it still needs (7009). Account rows younger than a day
    /// and never used by a job are deleted, others flagged (records spec §9.4).
    /// </summary>
    public RemoveResult Remove(SqlScope scope, AccountCondition condition, ChangeContext change, out List<AssociationRecord> removedAssociations)
    {
        removedAssociations = [];
        var names = Matching(scope, condition, withDeleted: false).Select(r => r.Name).ToList();
        if (names.Count == 0)
            return new RemoveResult([], SlurmError.NoChangeInData);

        var plan = removal.PlanByAccounts(scope, names);
        if (plan.Refusal is { } refusal)
            return refusal;

        foreach (string name in names)
        {
            bool usedByJobs = scope.Connection.ExecuteScalar<int>(
                "SELECT EXISTS (SELECT 1 FROM job WHERE account = @Name)", new { Name = name }, scope.Transaction) == 1;
            scope.Connection.Execute(usedByJobs
                ? "UPDATE acct SET deleted = 1, mod_time = @Now WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256)) AND deleted = 0"
                : "DELETE FROM acct WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256)) AND creation_time > @DayOld; "
                  + "UPDATE acct SET deleted = 1, mod_time = @Now WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256)) AND deleted = 0",
                new { Name = name, change.Now, change.DayOld }, scope.Transaction);
            coordinators.RemoveAccount(scope, name, change);
            transactions.Record(scope, DbdMessageType.RemoveAccounts, $"name='{name}'", change.Actor, "", change.Now);
        }
        removedAssociations = removal.Apply(scope, plan, DbdMessageType.RemoveAccounts, change);
        return new RemoveResult(names, SlurmError.Success);
    }
}
