using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>The assoc table: the association tree of every cluster (records spec §5).</summary>
public sealed class AssociationRepository
{
    private sealed class AssociationRow
    {
        public uint ClusterId { get; init; }
        public string ClusterName { get; init; } = "";
        public uint IdAssoc { get; init; }
        public bool Deleted { get; init; }
        public bool IsDef { get; init; }
        public string User { get; init; } = "";
        public string Acct { get; init; } = "";
        public string Partition { get; init; } = "";
        public string ParentAcct { get; init; } = "";
        public int Lft { get; init; }
        public int Rgt { get; init; }
        public uint Shares { get; init; }
        public uint? MaxJobs { get; init; }
        public uint? MaxJobsAccrue { get; init; }
        public uint? MinPrioThresh { get; init; }
        public uint? MaxSubmitJobs { get; init; }
        public string MaxTresPj { get; init; } = "";
        public string MaxTresPn { get; init; } = "";
        public string MaxTresMinsPj { get; init; } = "";
        public string MaxTresRunMins { get; init; } = "";
        public uint? MaxWallPj { get; init; }
        public uint? GrpJobs { get; init; }
        public uint? GrpJobsAccrue { get; init; }
        public uint? GrpSubmitJobs { get; init; }
        public string GrpTres { get; init; } = "";
        public string GrpTresMins { get; init; } = "";
        public string GrpTresRunMins { get; init; } = "";
        public uint? GrpWall { get; init; }
        public uint? Priority { get; init; }
        public uint? DefQosId { get; init; }
        public string Qos { get; init; } = "";
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
        return rows.ToDictionary(row => row.ClusterId, ToRecord);
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

    private static AssociationRecord ToRecord(AssociationRow row) => new()
    {
        Account = row.Acct,
        Cluster = row.ClusterName,
        DefaultQosId = row.DefQosId ?? 0,
        Flags = row.Deleted ? (ushort)1 : (ushort)0,
        SharesRaw = row.Shares,
        GrpTresMins = ColumnText.NullIfEmpty(row.GrpTresMins),
        GrpTresRunMins = ColumnText.NullIfEmpty(row.GrpTresRunMins),
        GrpTres = ColumnText.NullIfEmpty(row.GrpTres),
        GrpJobs = row.GrpJobs ?? SlurmValues.Infinite,
        GrpJobsAccrue = row.GrpJobsAccrue ?? SlurmValues.Infinite,
        GrpSubmitJobs = row.GrpSubmitJobs ?? SlurmValues.Infinite,
        GrpWall = row.GrpWall ?? SlurmValues.Infinite,
        Id = row.IdAssoc,
        IsDefault = row.IsDef ? (ushort)1 : (ushort)0,
        Lft = (uint)row.Lft,
        MaxTresMinsPerJob = ColumnText.NullIfEmpty(row.MaxTresMinsPj),
        MaxTresRunMins = ColumnText.NullIfEmpty(row.MaxTresRunMins),
        MaxTresPerJob = ColumnText.NullIfEmpty(row.MaxTresPj),
        MaxTresPerNode = ColumnText.NullIfEmpty(row.MaxTresPn),
        MaxJobs = row.MaxJobs ?? SlurmValues.Infinite,
        MaxJobsAccrue = row.MaxJobsAccrue ?? SlurmValues.Infinite,
        MinPrioThreshold = row.MinPrioThresh ?? SlurmValues.Infinite,
        MaxSubmitJobs = row.MaxSubmitJobs ?? SlurmValues.Infinite,
        MaxWallPerJob = row.MaxWallPj ?? SlurmValues.Infinite,
        ParentAccount = ColumnText.NullIfEmpty(row.ParentAcct),
        ParentId = 0,
        Partition = ColumnText.NullIfEmpty(row.Partition),
        Priority = row.Priority ?? SlurmValues.Infinite,
        QosList = row.Qos.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(),
        Rgt = (uint)row.Rgt,
        User = ColumnText.NullIfEmpty(row.User),
    };
}
