using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>The assoc table: the association tree of every cluster (records spec §5).</summary>
public sealed class AssociationRepository
{
    private sealed record ClusterName(uint Id, string Name);

    /// <summary>
    /// DBD_GET_ASSOCS (as_mysql_get_assocs): for each cluster of the condition in its order (all live
    /// clusters by name when none is given), the matching associations in tree (lft) order, filled in
    /// with what they inherit.
    /// </summary>
    public List<AssociationRecord> Find(SqlScope scope, AssociationCondition condition)
    {
        var clusters = condition.ClusterList is { Count: > 0 } names
            ? names.Select(name => scope.Connection.QuerySingleOrDefault<ClusterName>(
                    "SELECT id, name FROM cluster WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256))", new { Name = name }, scope.Transaction))
                .OfType<ClusterName>().ToList()
            : scope.Connection.Query<ClusterName>("SELECT id, name FROM cluster WHERE deleted = 0 ORDER BY name", transaction: scope.Transaction).ToList();
        var options = AssociationReadOptions.From(condition);
        var records = new List<AssociationRecord>();
        foreach (var cluster in clusters)
        {
            var inheritance = new AssociationInheritance(scope.Connection.Query<AssociationRow>(
                "SELECT * FROM assoc WHERE cluster_id = @Id AND `user` = ''", new { cluster.Id }, scope.Transaction), options);
            var filter = ConditionFilter(condition, cluster.Id, out string from);
            var rows = scope.Connection.Query<AssociationRow>(
                $"SELECT DISTINCT t1.*, @ClusterName AS cluster_name FROM {from}{filter.WhereClause} ORDER BY t1.lft",
                WithClusterName(filter, cluster.Name), scope.Transaction);
            records.AddRange(rows.Select(inheritance.ToRecord));
        }
        return records;
    }

    /// <summary>
    /// The lft of every association, in any cluster, of a user or of one of the accounts, deleted ones
    /// included as the reference's PrivateData=users query does not skip them.
    /// </summary>
    public List<(string Cluster, uint Lft)> LftsOf(SqlScope scope, string user, IReadOnlyCollection<string> accounts) =>
        scope.Connection.Query<(string, uint)>("""
            SELECT c.name, a.lft FROM assoc a JOIN cluster c ON c.id = a.cluster_id
            WHERE a.`user` = @User OR a.acct IN @Accounts
            """, new { User = user, Accounts = accounts.Count > 0 ? accounts : [""] }, scope.Transaction).ToList();

    private static Dapper.DynamicParameters WithClusterName(SqlFilter filter, string name)
    {
        filter.Parameters.Add("ClusterName", name);
        return filter.Parameters;
    }

    /// <summary>
    /// _setup_assoc_cond_limits and _setup_assoc_cond_qos: with a QOS list or with_sub_accts the
    /// conditions select parents (t2) and every association below them (t1) is returned. A present but
    /// empty user list means user associations only (records spec §0.3).
    /// </summary>
    internal static SqlFilter ConditionFilter(AssociationCondition condition, uint clusterId, out string from)
    {
        var filter = new SqlFilter();
        bool bySubtree = condition.QosList is { Count: > 0 } || condition.WithSubAccounts != 0;
        string prefix = bySubtree ? "t2" : "t1";
        from = bySubtree ? "assoc t1 JOIN assoc t2 ON t2.cluster_id = t1.cluster_id AND t1.lft BETWEEN t2.lft AND t2.rgt" : "assoc t1";
        filter.Where("t1.cluster_id = @value", clusterId);
        if (condition.WithDeleted == 0)
            filter.Where("t1.deleted = 0");
        if (condition.QosList is { Count: > 0 } qos)
            filter.Where("(" + string.Join(" OR ", qos.Select(id =>
                $"{filter.Bind($"{prefix}.qos LIKE @value", $"%,{id},%")} OR {filter.Bind($"{prefix}.delta_qos LIKE @value", $"%,+{id},%")}")) + ")");
        if (condition.OnlyDefaults != 0)
            filter.Where($"{prefix}.is_def = 1");
        filter.In($"{prefix}.acct", condition.AccountList).InNumbers($"{prefix}.def_qos_id", condition.DefaultQosIdList);
        if (condition.UserList is { Count: > 0 } users)
            filter.In($"{prefix}.`user`", users);
        else if (condition.UserList is not null)
            filter.Where($"{prefix}.`user` <> ''");
        filter.In($"{prefix}.`partition`", condition.PartitionList).InNumbers($"{prefix}.id_assoc", condition.IdList)
            .In($"{prefix}.parent_acct", condition.ParentAccountList);
        return filter;
    }

    /// <summary>
    /// The root account association of each listed cluster (account root, no user, no partition), as
    /// GET_CLUSTERS carries it. The root has no parent, so nothing is inherited: unset limits are INFINITE.
    /// </summary>
    public Dictionary<uint, AssociationRecord> RootAssociations(SqlScope scope, IReadOnlyCollection<uint> clusterIds)
    {
        if (clusterIds.Count == 0)
            return [];
        var rows = scope.Connection.Query<AssociationRow>("""
            SELECT a.*, c.name AS cluster_name FROM assoc a JOIN cluster c ON c.id = a.cluster_id
            WHERE a.cluster_id IN @ClusterIds AND a.acct = 'root' AND a.`user` = '' AND a.`partition` = '' AND a.deleted = 0
            """, new { ClusterIds = clusterIds }, scope.Transaction);
        return rows.ToDictionary(row => row.ClusterId, row => new AssociationInheritance([], AssociationReadOptions.Default).ToRecord(row));
    }

    /// <summary>
    /// A new cluster's root account association (lft 1) and root user association under it (records spec
    /// §3.4), with the limits the add request carried and the default QOS list unless it named QOS. A
    /// cluster that is added again gets its old rows back.
    /// </summary>
    public void EnsureRootAssociations(SqlScope scope, uint clusterId, AssociationRecord requested, string defaultQos, ChangeContext change)
    {
        var limits = AssociationLimits.From(requested);
        string qos = requested.QosList is { Count: > 0 } list ? "," + string.Join(",", list) + "," : defaultQos;
        int existing = scope.Connection.ExecuteScalar<int>(
            "SELECT COUNT(*) FROM assoc WHERE cluster_id = @ClusterId AND id_assoc IN (1, 2)", new { ClusterId = clusterId }, scope.Transaction);
        if (existing == 0)
        {
            scope.Connection.Execute($"""
                INSERT INTO assoc (cluster_id, id_assoc, creation_time, mod_time, acct, lft, rgt, qos, {AssociationLimits.Columns})
                VALUES (@ClusterId, 1, @Now, @Now, 'root', 1, 4, @Qos, {AssociationLimits.Parameters});
                INSERT INTO assoc (cluster_id, id_assoc, creation_time, mod_time, is_def, `user`, acct, lft, rgt)
                VALUES (@ClusterId, 2, @Now, @Now, 1, 'root', 'root', 2, 3);
                UPDATE cluster SET assoc_next_id = GREATEST(assoc_next_id, 3) WHERE id = @ClusterId
                """, limits.WithParameters(new { ClusterId = clusterId, change.Now, Qos = qos }), scope.Transaction);
            return;
        }
        scope.Connection.Execute($"""
            UPDATE assoc SET deleted = 0, mod_time = @Now, qos = @Qos, {AssociationLimits.Assignments}
            WHERE cluster_id = @ClusterId AND id_assoc = 1;
            UPDATE assoc SET deleted = 0, mod_time = @Now WHERE cluster_id = @ClusterId AND id_assoc = 2
            """, limits.WithParameters(new { ClusterId = clusterId, change.Now, Qos = qos }), scope.Transaction);
    }

    /// <summary>All associations of a removed cluster: gone if young and unused by jobs, else flagged deleted.</summary>
    public void RemoveClusterAssociations(SqlScope scope, uint clusterId, bool deleteRows, ChangeContext change) =>
        scope.Connection.Execute(deleteRows
            ? "DELETE FROM assoc WHERE cluster_id = @ClusterId; UPDATE cluster SET assoc_next_id = 1 WHERE id = @ClusterId"
            : "UPDATE assoc SET deleted = 1, mod_time = @Now WHERE cluster_id = @ClusterId AND deleted = 0",
            new { ClusterId = clusterId, change.Now }, scope.Transaction);
}
