using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>
/// Adds to the association tree (as_mysql_add_assocs). Each cluster's tree is a nested set: a new
/// association becomes a child of its parent account's association, the ones added together under the
/// same parent in request order, and everything to the right moves over to make room.
/// </summary>
public sealed class AssociationChanges(TransactionLog transactions)
{
    /// <summary>The add's return code and the associations it created or revived (SLURMDB_ADD_ASSOC for the controllers).</summary>
    public sealed record AddResult(int ReturnCode, List<AssociationRecord> Added);

    private sealed record ExistingRow(uint IdAssoc, bool Deleted, int Lft, int Rgt, string ParentAcct);

    /// <summary>Room being made under one parent for the associations added behind each other.</summary>
    private sealed class PendingInsert(uint clusterId, int parentLft)
    {
        public uint ClusterId { get; } = clusterId;
        public int ParentLft { get; } = parentLft;
        public int Width { get; set; }
    }

    /// <summary>
    /// DBD_ADD_ASSOCS and the associations inside DBD_ADD_ACCOUNTS/DBD_ADD_USERS. The return code is
    /// SLURM_ERROR when a record lacks cluster or account or its parent does not exist (the caller rolls the
    /// whole transaction back, as the reference resets its connection), else 0.
    /// </summary>
    public AddResult Add(SqlScope scope, IReadOnlyList<AssociationRecord> records, ChangeContext change, bool allowNoDefaultAccount)
    {
        int rc = SlurmError.Success;
        var added = new List<AssociationRecord>();
        var touchedClusters = new List<uint>();
        var addedUsers = new List<string>();
        var defaults = new List<(uint ClusterId, string User, string Account)>();
        PendingInsert? pending = null;
        string? pendingParent = null;

        foreach (var record in records.OrderBy(r => r.Cluster, StringComparer.Ordinal))
        {
            if (string.IsNullOrEmpty(record.Cluster) || string.IsNullOrEmpty(record.Account))
            {
                rc = SlurmError.Error;
                continue;
            }
            uint? clusterId = scope.Connection.ExecuteScalar<uint?>(
                "SELECT id FROM cluster WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256)) AND deleted = 0",
                new { Name = record.Cluster }, scope.Transaction);
            if (clusterId is null)
                return new AddResult(SlurmError.Error, added);
            if (!touchedClusters.Contains(clusterId.Value))
                touchedClusters.Add(clusterId.Value);

            bool isUser = !string.IsNullOrEmpty(record.User);
            string parent = record.ParentAccount ?? (isUser ? record.Account : "root");
            string user = record.User ?? "";
            string partition = isUser ? record.Partition ?? "" : "";
            if (isUser && !addedUsers.Contains(user))
                addedUsers.Add(user);

            var existing = scope.Connection.QuerySingleOrDefault<ExistingRow>("""
                SELECT id_assoc, deleted, lft, rgt, parent_acct FROM assoc
                WHERE cluster_id = @ClusterId AND acct = @Account AND `user` = @User AND `partition` = @Partition
                FOR UPDATE
                """, new { ClusterId = clusterId, record.Account, User = user, Partition = partition }, scope.Transaction);
            if (existing is { Deleted: false })
                continue;

            var limits = AssociationLimits.From(record);
            var (qos, deltaQos) = QosColumns(record.QosList);
            uint id;
            if (existing is null)
            {
                if (pending is null || pending.ClusterId != clusterId || pendingParent != parent)
                {
                    MakeRoom(scope, pending);
                    int? parentLft = scope.Connection.ExecuteScalar<int?>(
                        "SELECT lft FROM assoc WHERE cluster_id = @ClusterId AND acct = @Parent AND `user` = '' ORDER BY lft LIMIT 1",
                        new { ClusterId = clusterId, Parent = parent }, scope.Transaction);
                    if (parentLft is null)
                        return new AddResult(SlurmError.Error, added);
                    pending = new PendingInsert(clusterId.Value, parentLft.Value);
                    pendingParent = parent;
                }
                pending.Width += 2;
                id = record.Id != 0 ? record.Id : NextAssociationId(scope, clusterId.Value);
                // deleted = 2 marks rows placed ahead of the shift, which must not move them.
                scope.Connection.Execute($"""
                    INSERT INTO assoc (cluster_id, id_assoc, creation_time, mod_time, deleted, is_def, `user`, acct, `partition`,
                                       parent_acct, lft, rgt, qos, delta_qos, {AssociationLimits.Columns})
                    VALUES (@ClusterId, @Id, @Now, @Now, 2, @IsDef, @User, @Account, @Partition, @ParentAcct, @Lft, @Rgt,
                            @Qos, @DeltaQos, {AssociationLimits.Parameters})
                    """, limits.WithParameters(new
                {
                    ClusterId = clusterId, Id = id, change.Now, IsDef = record.IsDefault == 1 ? 1 : 0, User = user,
                    record.Account, Partition = partition, ParentAcct = isUser ? "" : parent,
                    Lft = pending.ParentLft + pending.Width - 1, Rgt = pending.ParentLft + pending.Width,
                    Qos = qos, DeltaQos = deltaQos,
                }), scope.Transaction);
            }
            else
            {
                id = existing.IdAssoc;
                scope.Connection.Execute($"""
                    UPDATE assoc SET deleted = 0, mod_time = @Now, is_def = @IsDef, qos = @Qos, delta_qos = @DeltaQos,
                        {AssociationLimits.Assignments}
                    WHERE cluster_id = @ClusterId AND id_assoc = @Id
                    """, limits.WithParameters(new
                {
                    ClusterId = clusterId, Id = id, change.Now, IsDef = record.IsDefault == 1 ? 1 : 0, Qos = qos, DeltaQos = deltaQos,
                }), scope.Transaction);
            }
            if (isUser && record.IsDefault == 1)
                defaults.Add((clusterId.Value, user, record.Account));
            added.Add(record with { Id = id, ParentAccount = isUser ? null : parent, User = isUser ? user : null });
            transactions.Record(scope, DbdMessageType.AddAssocs, $"id_assoc={id}", change.Actor,
                $"acct='{record.Account}', user='{user}', partition='{partition}', parent_acct='{parent}'", change.Now, record.Cluster);
        }
        MakeRoom(scope, pending);

        foreach (var (clusterId, user, account) in defaults)
            scope.Connection.Execute("""
                UPDATE assoc SET is_def = 0, mod_time = @Now WHERE cluster_id = @ClusterId AND `user` = @User AND acct <> @Account AND is_def = 1
                """, new { ClusterId = clusterId, User = user, Account = account, change.Now }, scope.Transaction);
        if (!allowNoDefaultAccount)
            MakeSureUsersHaveDefault(scope, addedUsers, touchedClusters);
        return new AddResult(rc, AsStored(scope, added));
    }

    /// <summary>
    /// The added associations as the reference pushes them after _set_assoc_limits_for_add: read back, with
    /// their place in the tree, their parent's id and every unset limit filled from above. The request's own
    /// NO_VALs must not reach a controller: a real slurmctld keeps a NO_VAL default QOS and indexes its QOS
    /// bitmap with it on the next modify of that association, which crashes it.
    /// </summary>
    private static List<AssociationRecord> AsStored(SqlScope scope, List<AssociationRecord> added)
    {
        var stored = new Dictionary<(string, uint), AssociationRecord>();
        foreach (var cluster in added.GroupBy(record => record.Cluster!, StringComparer.Ordinal))
        {
            var condition = new AssociationCondition { ClusterList = [cluster.Key], IdList = [.. cluster.Select(r => r.Id.ToString())] };
            foreach (var record in new AssociationRepository().Find(scope, condition))
                stored[(cluster.Key, record.Id)] = record;
        }
        return [.. added.Select(record => stored.GetValueOrDefault((record.Cluster!, record.Id), record))];
    }

    /// <summary>Shifts everything right of the parent's lft by the room the new children take.</summary>
    private static void MakeRoom(SqlScope scope, PendingInsert? pending)
    {
        if (pending is null || pending.Width == 0)
            return;
        scope.Connection.Execute("""
            UPDATE assoc SET rgt = rgt + @Width WHERE cluster_id = @ClusterId AND rgt > @Lft AND deleted < 2;
            UPDATE assoc SET lft = lft + @Width WHERE cluster_id = @ClusterId AND lft > @Lft AND deleted < 2;
            UPDATE assoc SET deleted = 0 WHERE cluster_id = @ClusterId AND deleted = 2
            """, new { pending.Width, pending.ClusterId, Lft = pending.ParentLft }, scope.Transaction);
        pending.Width = 0;
    }

    /// <summary>Association ids count up per cluster and are never reused (the reference's auto-increment).</summary>
    private static uint NextAssociationId(SqlScope scope, uint clusterId)
    {
        uint next = scope.Connection.ExecuteScalar<uint>(
            "SELECT GREATEST(assoc_next_id, (SELECT COALESCE(MAX(id_assoc), 0) + 1 FROM assoc WHERE cluster_id = @Id)) FROM cluster WHERE id = @Id FOR UPDATE",
            new { Id = clusterId }, scope.Transaction);
        scope.Connection.Execute("UPDATE cluster SET assoc_next_id = @Next WHERE id = @Id", new { Next = next + 1, Id = clusterId }, scope.Transaction);
        return next;
    }

    /// <summary>
    /// A QOS list of plain ids sets the association's own list (",1,2,"); entries with + or - are deltas
    /// on what it inherits; [""] clears the list (records spec §5.2).
    /// </summary>
    public static (string Qos, string DeltaQos) QosColumns(IReadOnlyList<string>? qosList)
    {
        if (qosList is null || qosList.Count == 0)
            return ("", "");
        var entries = qosList.Where(q => q.Length > 0).ToList();
        if (entries.Count == 0)
            return ("", "");
        return entries.Any(q => q[0] is '+' or '-')
            ? ("", "," + string.Join(",", entries) + ",")
            : ("," + string.Join(",", entries) + ",", "");
    }

    /// <summary>
    /// _make_sure_users_have_default: a user with associations on a cluster but no default there gets
    /// the most recently created one as default (unless AllowNoDefAcct).
    /// </summary>
    private static void MakeSureUsersHaveDefault(SqlScope scope, IEnumerable<string> users, IEnumerable<uint> clusters)
    {
        foreach (string user in users)
        {
            foreach (uint clusterId in clusters)
            {
                var best = scope.Connection.QueryFirstOrDefault<(bool IsDef, string Acct)?>("""
                    SELECT is_def, acct FROM assoc WHERE cluster_id = @ClusterId AND `user` = @User AND deleted = 0
                    ORDER BY is_def DESC, creation_time DESC LIMIT 1
                    """, new { ClusterId = clusterId, User = user }, scope.Transaction);
                if (best is { IsDef: false } candidate)
                    scope.Connection.Execute("UPDATE assoc SET is_def = 1 WHERE cluster_id = @ClusterId AND `user` = @User AND acct = @Acct",
                        new { ClusterId = clusterId, User = user, candidate.Acct }, scope.Transaction);
            }
        }
    }
}
