using Accounting.Model.Records;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>System resources (licenses) and each cluster's share (res, clus_res; records spec §11.5).</summary>
public sealed class ResourceRepository
{
    private sealed class ResourceRow
    {
        public uint Id { get; init; }
        public uint Count { get; init; }
        public string? Description { get; init; }
        public uint Flags { get; init; }
        public string Manager { get; init; } = "";
        public string Name { get; init; } = "";
        public string Server { get; init; } = "";
        public uint Type { get; init; }
        public ushort PercentUsed { get; init; }
    }

    private sealed record ShareRow(uint ResId, string Cluster, ushort PercentAllowed);

    /// <summary>
    /// DBD_GET_RES (as_mysql_get_res): the resources the condition selects, percent_used = the sum of the
    /// clusters' shares. With with_clusters the shares of the listed clusters (all when none are listed) are
    /// attached, and with_clusters = 1 leaves out resources none of them has a share of.
    /// </summary>
    public List<ResourceRecord> Find(SqlScope scope, ResourceCondition condition)
    {
        bool withDeleted = condition.WithDeleted != 0;
        var filter = new SqlFilter();
        if (!withDeleted)
            filter.Where("r.deleted = 0");
        filter.In("r.name", condition.NameList).In("r.server", condition.ServerList).In("r.description", condition.DescriptionList)
            .In("r.manager", condition.ManagerList).InNumbers("r.id", condition.IdList).InNumbers("r.type", condition.TypeList);
        var rows = scope.Connection.Query<ResourceRow>($"""
            SELECT r.id, r.`count`, r.description, r.flags, r.manager, r.name, r.server, r.type,
                   CAST(COALESCE(SUM(cr.percent_allowed), 0) AS UNSIGNED) AS percent_used
            FROM res r LEFT JOIN clus_res cr ON cr.res_id = r.id{(withDeleted ? "" : " AND cr.deleted = 0")}
            {filter.WhereClause}
            GROUP BY r.id ORDER BY r.id
            """, filter.Parameters, scope.Transaction).ToList();

        ILookup<uint, ShareRow>? shares = null;
        if (condition.WithClusters != 0 && rows.Count > 0)
        {
            var shareFilter = new SqlFilter().Where("cr.res_id IN @value", rows.Select(r => r.Id).ToList());
            if (!withDeleted)
                shareFilter.Where("cr.deleted = 0");
            shareFilter.In("c.name", condition.ClusterList);
            shares = scope.Connection.Query<ShareRow>($"""
                SELECT cr.res_id, c.name AS cluster, cr.percent_allowed
                FROM clus_res cr JOIN cluster c ON c.id = cr.cluster_id{shareFilter.WhereClause}
                ORDER BY c.name
                """, shareFilter.Parameters, scope.Transaction).ToLookup(s => s.ResId);
        }

        var records = new List<ResourceRecord>();
        foreach (var row in rows)
        {
            List<ClusterResourceRecord>? clusterShares = null;
            if (shares is not null)
            {
                clusterShares = shares[row.Id].Select(s => new ClusterResourceRecord(s.Cluster, s.PercentAllowed)).ToList();
                if (clusterShares.Count == 0)
                {
                    if (condition.WithClusters == 1)
                        continue;
                    clusterShares = null;
                }
            }
            records.Add(new ResourceRecord
            {
                ClusterResourceList = clusterShares,
                Count = row.Count,
                Description = ColumnText.NullIfEmpty(row.Description),
                Flags = row.Flags,
                Id = row.Id,
                Manager = ColumnText.NullIfEmpty(row.Manager),
                Name = ColumnText.NullIfEmpty(row.Name),
                PercentUsed = row.PercentUsed,
                Server = ColumnText.NullIfEmpty(row.Server),
                Type = (ResourceType)row.Type,
            });
        }
        return records;
    }
}
