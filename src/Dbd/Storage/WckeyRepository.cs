using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>The wckey table: workload characterisation keys per user and cluster (records spec §6.5, as_mysql_wckey.c).</summary>
public sealed class WckeyRepository(TransactionLog transactions)
{
    private sealed class WckeyRow
    {
        public uint ClusterId { get; init; }
        public string ClusterName { get; init; } = "";
        public uint IdWckey { get; init; }
        public bool Deleted { get; init; }
        public bool IsDef { get; init; }
        public string WckeyName { get; init; } = "";
        public string User { get; init; } = "";
        public long CreationTime { get; init; }
    }

    /// <summary>DBD_GET_WCKEYS: by cluster name, then wckey name and user.</summary>
    public List<WckeyRecord> Find(SqlScope scope, WckeyCondition condition) =>
        Matching(scope, condition).Select(row => new WckeyRecord
        {
            Cluster = row.ClusterName,
            Flags = row.Deleted ? WckeyRecord.FlagDeleted : 0,
            Id = row.IdWckey,
            IsDefault = row.IsDef ? (ushort)1 : (ushort)0,
            Name = row.WckeyName,
            User = row.User,
        }).ToList();

    private static List<WckeyRow> Matching(SqlScope scope, WckeyCondition condition)
    {
        var filter = new SqlFilter().Where("c.deleted = 0");
        if (condition.WithDeleted == 0)
            filter.Where("w.deleted = 0");
        filter.In("c.name", condition.ClusterList).InNumbers("w.id_wckey", condition.IdList)
            .In("w.wckey_name", condition.NameList).In("w.`user`", condition.UserList);
        if (condition.OnlyDefaults != 0)
            filter.Where("w.is_def = 1");
        return scope.Connection.Query<WckeyRow>($"""
            SELECT w.cluster_id, c.name AS cluster_name, w.id_wckey, w.deleted, w.is_def, w.wckey_name, w.`user`, w.creation_time
            FROM wckey w JOIN cluster c ON c.id = w.cluster_id{filter.WhereClause}
            ORDER BY c.name, w.wckey_name, w.`user`
            """, filter.Parameters, scope.Transaction).ToList();
    }

    /// <summary>
    /// DBD_ADD_WCKEYS (as_mysql_add_wckeys): cluster and user are required (else SLURM_ERROR for that
    /// record); an existing wckey is revived. A default wckey takes the flag from the user's others; a user
    /// left without a default on a cluster gets the newest one. Returns the wckeys added, with their ids.
    /// </summary>
    public (int ReturnCode, List<WckeyRecord> Added) Add(SqlScope scope, IReadOnlyList<WckeyRecord> records, ChangeContext change)
    {
        int rc = SlurmError.Success;
        var added = new List<WckeyRecord>();
        foreach (var record in records)
        {
            if (string.IsNullOrEmpty(record.Cluster) || string.IsNullOrEmpty(record.User))
            {
                rc = SlurmError.Error;
                continue;
            }
            uint? clusterId = scope.Connection.ExecuteScalar<uint?>(
                "SELECT id FROM cluster WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256)) AND deleted = 0 FOR UPDATE",
                new { Name = record.Cluster }, scope.Transaction);
            if (clusterId is null)
            {
                rc = SlurmError.Error;
                continue;
            }
            string name = record.Name ?? "";
            var existing = scope.Connection.ExecuteScalar<uint?>("""
                SELECT id_wckey FROM wckey WHERE cluster_id = @ClusterId
                    AND wckey_name_hash = UNHEX(SHA2(RTRIM(@Name), 256)) AND user_hash = UNHEX(SHA2(RTRIM(@User), 256))
                """, new { ClusterId = clusterId, Name = name, record.User }, scope.Transaction);
            uint id = existing ?? scope.Connection.ExecuteScalar<uint>(
                "SELECT GREATEST(wckey_next_id, (SELECT COALESCE(MAX(id_wckey), 0) + 1 FROM wckey WHERE cluster_id = @Id)) FROM cluster WHERE id = @Id",
                new { Id = clusterId }, scope.Transaction);
            bool isDefault = record.IsDefault == 1;
            if (existing is null)
            {
                scope.Connection.Execute("""
                    INSERT INTO wckey (cluster_id, id_wckey, creation_time, mod_time, is_def, wckey_name, `user`)
                    VALUES (@ClusterId, @Id, @Now, @Now, @IsDef, @Name, @User);
                    UPDATE cluster SET wckey_next_id = @Id + 1 WHERE id = @ClusterId
                    """, new { ClusterId = clusterId, Id = id, change.Now, IsDef = isDefault ? 1 : 0, Name = name, record.User }, scope.Transaction);
            }
            else
            {
                scope.Connection.Execute(
                    "UPDATE wckey SET deleted = 0, mod_time = @Now, is_def = GREATEST(is_def, @IsDef) WHERE cluster_id = @ClusterId AND id_wckey = @Id",
                    new { ClusterId = clusterId, Id = id, change.Now, IsDef = isDefault ? 1 : 0 }, scope.Transaction);
            }
            if (isDefault)
                scope.Connection.Execute(
                    "UPDATE wckey SET is_def = 0, mod_time = @Now WHERE cluster_id = @ClusterId AND user_hash = UNHEX(SHA2(RTRIM(@User), 256)) AND id_wckey <> @Id",
                    new { ClusterId = clusterId, Id = id, record.User, change.Now }, scope.Transaction);
            else if (scope.Connection.ExecuteScalar<int>(
                "SELECT COUNT(*) FROM wckey WHERE cluster_id = @ClusterId AND user_hash = UNHEX(SHA2(RTRIM(@User), 256)) AND is_def = 1 AND deleted = 0",
                new { ClusterId = clusterId, record.User }, scope.Transaction) == 0)
            {
                scope.Connection.Execute("UPDATE wckey SET is_def = 1 WHERE cluster_id = @ClusterId AND id_wckey = @Id",
                    new { ClusterId = clusterId, Id = id }, scope.Transaction);
                isDefault = true;
            }
            transactions.Record(scope, DbdMessageType.AddWckeys, $"id_wckey={id}", change.Actor,
                $"name='{name}', user='{record.User}', is_def={(isDefault ? 1 : 0)}", change.Now, record.Cluster);
            added.Add(record with { Id = id, Name = name, IsDefault = isDefault ? (ushort)1 : (ushort)0 });
        }
        return (rc, added);
    }

    /// <summary>
    /// DBD_REMOVE_WCKEYS (as_mysql_remove_wckeys): the matching wckeys, "C = %-10s W = %-20s U = %-9s"
    /// lines; gone when younger than a day and never used by a job, else flagged.
    /// </summary>
    public (List<string> Lines, List<WckeyRecord> Removed) Remove(SqlScope scope, WckeyCondition condition, ChangeContext change)
    {
        var rows = Matching(scope, condition with { WithDeleted = 0 });
        foreach (var row in rows)
            Drop(scope, row, change);
        return (rows.Select(r => $"C = {r.ClusterName,-10} W = {r.WckeyName,-20} U = {r.User,-9}").ToList(),
            rows.Select(r => new WckeyRecord { Cluster = r.ClusterName, Id = r.IdWckey, Name = r.WckeyName, User = r.User }).ToList());
    }

    /// <summary>A removed user takes their wckeys with them.</summary>
    public void RemoveUser(SqlScope scope, string user, ChangeContext change)
    {
        foreach (var row in Matching(scope, new WckeyCondition { UserList = [user] }))
            Drop(scope, row, change);
    }

    private void Drop(SqlScope scope, WckeyRow row, ChangeContext change)
    {
        var parameters = new { row.ClusterId, Id = row.IdWckey, change.Now };
        bool used = scope.Connection.ExecuteScalar<int>(
            "SELECT EXISTS (SELECT 1 FROM job WHERE cluster_id = @ClusterId AND id_wckey = @Id)", parameters, scope.Transaction) == 1;
        scope.Connection.Execute(!used && row.CreationTime > change.DayOld
            ? "DELETE FROM wckey WHERE cluster_id = @ClusterId AND id_wckey = @Id"
            : "UPDATE wckey SET deleted = 1, is_def = 0, mod_time = @Now WHERE cluster_id = @ClusterId AND id_wckey = @Id",
            parameters, scope.Transaction);
        transactions.Record(scope, DbdMessageType.RemoveWckeys, $"id_wckey={row.IdWckey}", change.Actor, "", change.Now, row.ClusterName);
    }
}
