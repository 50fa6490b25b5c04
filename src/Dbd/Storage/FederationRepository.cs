using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>The federation table and cluster membership (records spec §4, as_mysql_federation.c).</summary>
public sealed class FederationRepository(ClusterRepository clusters, TransactionLog transactions)
{
    private sealed record FederationRow(string Name, uint Flags);

    /// <summary>
    /// DBD_GET_FEDERATIONS, by name; each with its live member clusters as full cluster records (a
    /// present list, empty when it has none: sacctmgr iterates it unchecked).
    /// </summary>
    public List<FederationRecord> Find(SqlScope scope, FederationCondition condition)
    {
        var filter = ConditionFilter(condition);
        var rows = scope.Connection.Query<FederationRow>($"""
            SELECT DISTINCT f.name, f.flags FROM federation f
            LEFT JOIN cluster c ON c.federation = f.name AND c.deleted = 0{filter.WhereClause}
            ORDER BY f.name
            """, filter.Parameters, scope.Transaction).ToList();
        return rows.Select(row => new FederationRecord(true, row.Name, row.Flags,
            clusters.Find(scope, new ClusterCondition { FederationList = [row.Name] }))).ToList();
    }

    private static SqlFilter ConditionFilter(FederationCondition condition)
    {
        var filter = new SqlFilter();
        if (condition.WithDeleted == 0)
            filter.Where("f.deleted = 0");
        return filter.In("c.name", condition.ClusterList).In("f.name", condition.FederationList);
    }

    /// <summary>
    /// DBD_ADD_FEDERATIONS (as_mysql_add_federations). Clusters may be given for one federation only;
    /// an existing federation is revived (flags set when given), then its clusters assigned.
    /// </summary>
    public int Add(SqlScope scope, IReadOnlyList<FederationRecord> federations, ChangeContext change)
    {
        if (federations.Count > 1 && federations.Any(f => f.ClusterList is not null))
            return SlurmError.FedClusterMultipleAssignment;
        foreach (var federation in federations.Where(f => f.Present))
        {
            if (string.IsNullOrEmpty(federation.Name))
                return SlurmError.Error;
            var flags = FlagsUpdate(federation.Flags);
            scope.Connection.Execute($"""
                INSERT INTO federation (creation_time, mod_time, name, flags) VALUES (@Now, @Now, @Name, {flags?.Insert ?? "0"})
                ON DUPLICATE KEY UPDATE deleted = 0, mod_time = @Now{(flags is null ? "" : ", flags = " + flags.Update)}
                """, new { change.Now, federation.Name, Flags = flags?.Value ?? 0 }, scope.Transaction);
            // Whatever stopped the assignment (63 members at most), the add reports a plain SLURM_ERROR.
            if (federation.ClusterList is { } members
                && AssignClusters(scope, federation.Name, members.Select(c => c.Name).OfType<string>().ToList()) != SlurmError.Success)
                return SlurmError.Error;
            transactions.Record(scope, DbdMessageType.AddFederations, federation.Name, change.Actor, $"mod_time={change.Now}", change.Now);
        }
        return SlurmError.Success;
    }

    private sealed record FlagsSql(string Insert, string Update, uint Value);

    /// <summary>_setup_federation_rec_limits: NOTSET leaves flags alone; ADD/REMOVE markers or or clear bits.</summary>
    private static FlagsSql? FlagsUpdate(uint flags)
    {
        if ((flags & FederationRecord.FlagNotSet) != 0)
            return null;
        if ((flags & FederationRecord.FlagRemove) != 0)
            return new FlagsSql("0", "(flags & ~@Flags)", flags & ~FederationRecord.FlagRemove);
        if ((flags & FederationRecord.FlagAdd) != 0)
            return new FlagsSql("@Flags", "(flags | @Flags)", flags & ~FederationRecord.FlagAdd);
        return new FlagsSql("@Flags", "@Flags", flags);
    }

    /// <summary>
    /// _assign_clusters_to_federation: plain names make the membership exactly those; "+name" adds and
    /// "-name" removes (only without plain names). A joining cluster gets the next free id and ACTIVE; a
    /// member keeps its id and state.
    /// </summary>
    public int AssignClusters(SqlScope scope, string federation, IReadOnlyList<string> names)
    {
        var adding = new List<string>();
        var removing = new List<string>();
        bool exactly = false;
        foreach (string name in names)
        {
            if (name.StartsWith('-'))
                removing.Add(name[1..]);
            else if (name.StartsWith('+'))
                adding.Add(name[1..]);
            else
            {
                adding.Add(name);
                exactly = true;
            }
        }
        if (exactly)
            scope.Connection.Execute($"""
                UPDATE cluster SET federation = '', fed_id = 0, fed_state = {ClusterRepository.FedStateNa}
                WHERE federation = @Federation AND deleted = 0 AND name NOT IN @Keep
                """, new { Federation = federation, Keep = adding.Count > 0 ? adding : [""] }, scope.Transaction);
        else if (removing.Count > 0)
            scope.Connection.Execute($"""
                UPDATE cluster SET federation = '', fed_id = 0, fed_state = {ClusterRepository.FedStateNa}
                WHERE name IN @Names AND deleted = 0
                """, new { Names = removing }, scope.Transaction);

        int lastId = -1;
        foreach (string name in adding)
        {
            int id = clusters.FederationClusterId(scope, name, federation, lastId);
            if (id < 0)
                return SlurmError.FedClusterMaxCount;
            lastId = id;
            scope.Connection.Execute($"""
                UPDATE cluster SET fed_state = CASE WHEN federation = @Federation THEN fed_state ELSE {ClusterRepository.FedStateActive} END,
                    fed_id = @Id, federation = @Federation
                WHERE name = @Name AND deleted = 0
                """, new { Federation = federation, Id = id, Name = name }, scope.Transaction);
        }
        return SlurmError.Success;
    }

    /// <summary>DBD_MODIFY_FEDERATIONS (as_mysql_modify_federations): flags and/or membership of live federations.</summary>
    public ModifyResult Modify(SqlScope scope, FederationCondition condition, FederationRecord changes, ChangeContext change)
    {
        var flags = FlagsUpdate(changes.Flags);
        bool hasMembers = changes.ClusterList is { Count: > 0 };
        if (flags is null && !hasMembers)
            return ModifyResult.NothingToChange;
        if (hasMembers && condition.FederationList is { Count: > 1 })
            return ModifyResult.Failed(SlurmError.FedClusterMultipleAssignment);

        var names = Find(scope, condition with { WithDeleted = 0 }).Select(f => f.Name!).ToList();
        if (names.Count == 0)
            return ModifyResult.Changed(names);
        if (hasMembers)
        {
            int rc = AssignClusters(scope, names[^1], changes.ClusterList!.Select(c => c.Name).OfType<string>().ToList());
            if (rc != SlurmError.Success)
                return ModifyResult.Failed(rc);
        }
        if (flags is not null)
            scope.Connection.Execute($"UPDATE federation SET mod_time = @Now, flags = {flags.Update} WHERE name IN @Names AND deleted = 0",
                new { change.Now, Flags = flags.Value, Names = names }, scope.Transaction);
        foreach (string name in names)
            transactions.Record(scope, DbdMessageType.ModifyFederations, $"name='{name}'", change.Actor, $"flags={changes.Flags}", change.Now);
        return ModifyResult.Changed(names);
    }

    /// <summary>
    /// DBD_REMOVE_FEDERATIONS: members leave (federation '', id 0, NA); the federation is deleted when
    /// younger than a day, else flagged deleted with its flags reset.
    /// </summary>
    public RemoveResult Remove(SqlScope scope, FederationCondition condition, ChangeContext change)
    {
        var names = Find(scope, condition with { WithDeleted = 0 }).Select(f => f.Name!).ToList();
        if (names.Count == 0)
            return new RemoveResult([], SlurmError.NoChangeInData);
        foreach (string name in names)
        {
            scope.Connection.Execute($"""
                UPDATE cluster SET federation = '', fed_id = 0, fed_state = {ClusterRepository.FedStateNa} WHERE federation = @Name AND deleted = 0;
                DELETE FROM federation WHERE name = @Name AND creation_time > @DayOld;
                UPDATE federation SET mod_time = @Now, deleted = 1, flags = 0 WHERE name = @Name AND deleted = 0
                """, new { Name = name, change.DayOld, change.Now }, scope.Transaction);
            transactions.Record(scope, DbdMessageType.RemoveFederations, $"name='{name}'", change.Actor, "", change.Now);
        }
        return new RemoveResult(names, SlurmError.Success);
    }
}
