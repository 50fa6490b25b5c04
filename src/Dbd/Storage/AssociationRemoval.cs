using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>
/// Removing associations (as_mysql_remove_assocs, remove_common; records spec §5.3, §9.4), shared by
/// DBD_REMOVE_ASSOCS, DBD_REMOVE_ACCOUNTS and DBD_REMOVE_USERS: first a plan of what goes and whether
/// anything forbids it, then the removal itself.
/// </summary>
public sealed class AssociationRemoval(TransactionLog transactions)
{
    public sealed class Row
    {
        public uint IdAssoc { get; init; }
        public int Lft { get; init; }
        public string Acct { get; init; } = "";
        public string ParentAcct { get; init; } = "";
        public string User { get; init; } = "";
        public string Partition { get; init; } = "";
        public bool IsDef { get; init; }
        public long CreationTime { get; init; }
    }

    public sealed record ClusterPart(uint ClusterId, string ClusterName, List<Row> Rows);

    /// <summary>What a removal takes away per cluster, or the lines and code that refuse it.</summary>
    public sealed record Plan(List<ClusterPart> Clusters, RemoveResult? Refusal);

    private sealed record ClusterName(uint Id, string Name);

    private sealed class RunningJob
    {
        public uint IdJob { get; init; }
        public uint IdAssoc { get; init; }
    }

    /// <summary>
    /// DBD_REMOVE_ASSOCS: on each cluster of the condition (all live ones when none is given), every
    /// association matching it together with everything below it.
    /// </summary>
    public Plan PlanByCondition(SqlScope scope, AssociationCondition condition)
    {
        var parts = new List<ClusterPart>();
        foreach (var cluster in Clusters(scope, condition.ClusterList))
        {
            var filter = AssociationRepository.ConditionFilter(condition with { WithDeleted = 0 }, cluster.Id, out string from);
            var ranges = scope.Connection.Query<(int Lft, int Rgt)>(
                $"SELECT DISTINCT t1.lft, t1.rgt FROM {from}{filter.WhereClause} ORDER BY t1.lft", filter.Parameters, scope.Transaction).ToList();
            var rows = Subtrees(scope, cluster.Id, ranges);
            if (rows.Count > 0)
                parts.Add(new ClusterPart(cluster.Id, cluster.Name, rows));
        }
        var directUserRows = parts.Select(p => p with { Rows = p.Rows.Where(r => r.User.Length > 0).ToList() }).ToList();
        return new Plan(parts, Refusal(scope, parts, directUserRows));
    }

    /// <summary>DBD_REMOVE_ACCOUNTS: every association of the accounts, on all clusters, with its subtree.</summary>
    public Plan PlanByAccounts(SqlScope scope, IReadOnlyCollection<string> accounts)
    {
        var parts = new List<ClusterPart>();
        var direct = new List<ClusterPart>();
        foreach (var cluster in Clusters(scope, null))
        {
            var ranges = scope.Connection.Query<(int Lft, int Rgt)>(
                "SELECT lft, rgt FROM assoc WHERE cluster_id = @Id AND deleted = 0 AND acct IN @Accounts ORDER BY lft",
                new { cluster.Id, Accounts = accounts }, scope.Transaction).ToList();
            var rows = Subtrees(scope, cluster.Id, ranges);
            if (rows.Count == 0)
                continue;
            parts.Add(new ClusterPart(cluster.Id, cluster.Name, rows));
            // _check_is_def_acct_before_remove looks only at the user associations of the accounts themselves.
            direct.Add(new ClusterPart(cluster.Id, cluster.Name,
                rows.Where(r => r.User.Length > 0 && accounts.Contains(r.Acct, StringComparer.Ordinal)).ToList()));
        }
        return new Plan(parts, Refusal(scope, parts, direct));
    }

    /// <summary>DBD_REMOVE_USERS: every association of the users on all clusters (user associations are leaves).</summary>
    public Plan PlanByUsers(SqlScope scope, IReadOnlyCollection<string> users)
    {
        var parts = new List<ClusterPart>();
        foreach (var cluster in Clusters(scope, null))
        {
            var rows = scope.Connection.Query<Row>("""
                SELECT id_assoc, lft, acct, parent_acct, `user`, `partition`, is_def, creation_time FROM assoc
                WHERE cluster_id = @Id AND deleted = 0 AND `user` IN @Users ORDER BY lft
                """, new { cluster.Id, Users = users }, scope.Transaction).ToList();
            if (rows.Count > 0)
                parts.Add(new ClusterPart(cluster.Id, cluster.Name, rows));
        }
        // remove_common checks default accounts only for the assoc and acct tables, not for users.
        return new Plan(parts, RunningJobsRefusal(scope, parts));
    }

    /// <summary>The DBD_GOT_LIST lines of a removal: the remove formats of records spec §1.4.</summary>
    public static List<string> Lines(Plan plan) => plan.Clusters.SelectMany(part => part.Rows.Select(row =>
        row.Partition.Length > 0 ? $"C = {part.ClusterName,-10} A = {row.Acct,-10} U = {row.User,-9} P = {row.Partition}"
        : row.User.Length > 0 ? $"C = {part.ClusterName,-10} A = {row.Acct,-10} U = {row.User,-9}"
        : row.ParentAcct.Length > 0 ? $"C = {part.ClusterName,-10} A = {row.Acct} of {row.ParentAcct}"
        : $"C = {part.ClusterName,-10} A = {row.Acct}")).ToList();

    /// <summary>
    /// Carries out a plan that nothing refused. Without any job ever on a cluster's removed associations,
    /// the ones younger than a day go for good, one subtree at a time with the tree closed up behind
    /// them; what is left is flagged deleted with every limit back to its default, and usage rows are
    /// flagged too. Returns the SLURMDB_REMOVE_ASSOC records for the controllers.
    /// </summary>
    public List<AssociationRecord> Apply(SqlScope scope, Plan plan, DbdMessageType action, ChangeContext change)
    {
        var removed = new List<AssociationRecord>();
        foreach (var part in plan.Clusters)
        {
            var ids = part.Rows.Select(r => r.IdAssoc).ToList();
            var parameters = new { part.ClusterId, Ids = ids, change.Now };
            bool everRanJobs = scope.Connection.ExecuteScalar<int>(
                "SELECT EXISTS (SELECT 1 FROM job WHERE cluster_id = @ClusterId AND id_assoc IN @Ids)", parameters, scope.Transaction) == 1;
            foreach (string table in new[] { "assoc_usage_hour", "assoc_usage_day", "assoc_usage_month" })
                scope.Connection.Execute($"UPDATE {table} SET mod_time = @Now, deleted = 1 WHERE cluster_id = @ClusterId AND id_assoc IN @Ids",
                    parameters, scope.Transaction);
            if (!everRanJobs)
            {
                foreach (var row in part.Rows.Where(r => r.CreationTime > change.DayOld))
                    DeleteSubtree(scope, part.ClusterId, row.IdAssoc);
            }
            scope.Connection.Execute($"""
                UPDATE assoc SET mod_time = @Now, deleted = 1, is_def = 0, shares = 1, qos = '', delta_qos = '',
                    {string.Join(", ", AssociationLimits.Columns.Split(", ").Where(c => c != "shares").Select(c => $"{c} = DEFAULT"))}
                WHERE cluster_id = @ClusterId AND id_assoc IN @Ids
                """, parameters, scope.Transaction);
            if (action == DbdMessageType.RemoveAssocs)
                transactions.Record(scope, action, string.Join(" || ", ids.Select(id => $"id_assoc={id}")), change.Actor, "", change.Now, part.ClusterName);
            removed.AddRange(part.Rows.Select(row => new AssociationRecord
            {
                Cluster = part.ClusterName,
                Id = row.IdAssoc,
                Flags = AssociationInheritance.AssociationFlagDeleted,
            }));
        }
        return removed;
    }

    /// <summary>Deletes an association and what is below it and closes the gap (lft/rgt re-read: earlier deletes moved them).</summary>
    private static void DeleteSubtree(SqlScope scope, uint clusterId, uint idAssoc)
    {
        var range = scope.Connection.QuerySingleOrDefault<(int Lft, int Rgt)?>(
            "SELECT lft, rgt FROM assoc WHERE cluster_id = @ClusterId AND id_assoc = @Id", new { ClusterId = clusterId, Id = idAssoc }, scope.Transaction);
        if (range is not { } found)
            return;
        scope.Connection.Execute("""
            DELETE FROM assoc WHERE cluster_id = @ClusterId AND lft BETWEEN @Lft AND @Rgt;
            UPDATE assoc SET rgt = rgt - @Width WHERE cluster_id = @ClusterId AND rgt > @Rgt;
            UPDATE assoc SET lft = lft - @Width WHERE cluster_id = @ClusterId AND lft > @Rgt
            """, new { ClusterId = clusterId, found.Lft, found.Rgt, Width = found.Rgt - found.Lft + 1 }, scope.Transaction);
    }

    private static List<ClusterName> Clusters(SqlScope scope, IReadOnlyCollection<string>? names) => names is { Count: > 0 }
        ? names.Select(name => scope.Connection.QuerySingleOrDefault<ClusterName>(
                "SELECT id, name FROM cluster WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256)) AND deleted = 0", new { Name = name }, scope.Transaction))
            .OfType<ClusterName>().ToList()
        : scope.Connection.Query<ClusterName>("SELECT id, name FROM cluster WHERE deleted = 0 ORDER BY name", transaction: scope.Transaction).ToList();

    /// <summary>The live associations whose lft lies in any of the ranges, in tree order.</summary>
    private static List<Row> Subtrees(SqlScope scope, uint clusterId, List<(int Lft, int Rgt)> ranges)
    {
        if (ranges.Count == 0)
            return [];
        var filter = new SqlFilter().Where("cluster_id = @value", clusterId).Where("deleted = 0");
        filter.Where("(" + string.Join(" OR ", ranges.Select(r =>
            $"lft BETWEEN {filter.Bind("@value", r.Lft)} AND {filter.Bind("@value", r.Rgt)}")) + ")");
        return scope.Connection.Query<Row>(
            $"SELECT DISTINCT id_assoc, lft, acct, parent_acct, `user`, `partition`, is_def, creation_time FROM assoc{filter.WhereClause} ORDER BY lft",
            filter.Parameters, scope.Transaction).ToList();
    }

    private static RemoveResult? Refusal(SqlScope scope, List<ClusterPart> parts, List<ClusterPart> defaultCandidates) =>
        DefaultAccountRefusal(defaultCandidates) ?? RunningJobsRefusal(scope, parts);

    /// <summary>
    /// _check_is_def_acct_before_remove, as 22.05.8 behaves: the user associations are walked ordered by
    /// user and is_def; once any non-default one was seen, every default one after it (of any user) is
    /// reported. Meant to stop removing a default while the user keeps others, it compares against a user
    /// it never records, so it fires exactly in that pattern (7009, nothing removed).
    /// </summary>
    private static RemoveResult? DefaultAccountRefusal(List<ClusterPart> parts)
    {
        var lines = new List<string>();
        foreach (var part in parts)
        {
            bool otherSeen = false;
            foreach (var row in part.Rows.OrderBy(r => r.User, StringComparer.Ordinal).ThenBy(r => r.IsDef))
            {
                if (!row.IsDef)
                    otherSeen = true;
                else if (otherSeen)
                    lines.Add($"C = {part.ClusterName,-15} A = {row.Acct,-10} U = {row.User,-9}");
            }
        }
        return lines.Count > 0 ? new RemoveResult(lines, SlurmError.NoRemoveDefaultAccount) : null;
    }

    /// <summary>_check_jobs_before_remove_assoc: jobs not finished on any association going away refuse it (7001).</summary>
    private static RemoveResult? RunningJobsRefusal(SqlScope scope, List<ClusterPart> parts)
    {
        var lines = new List<string>();
        foreach (var part in parts)
        {
            var byId = part.Rows.ToDictionary(r => r.IdAssoc);
            var running = scope.Connection.Query<RunningJob>("""
                SELECT id_job, id_assoc FROM job WHERE cluster_id = @ClusterId AND id_assoc IN @Ids AND time_end = 0 AND state < 3
                ORDER BY id_job
                """, new { part.ClusterId, Ids = byId.Keys.ToList() }, scope.Transaction);
            foreach (var job in running)
            {
                var row = byId[job.IdAssoc];
                string line = $"JobID = {job.IdJob,-10} C = {part.ClusterName,-10} A = {row.Acct,-10} U = {row.User,-9}";
                lines.Add(row.Partition.Length > 0 ? $"{line} P = {row.Partition}" : line);
            }
        }
        return lines.Count > 0 ? new RemoveResult(lines, SlurmError.JobsRunningOnAssoc) : null;
    }
}
