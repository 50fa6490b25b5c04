using Accounting.Model.Records;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>
/// Reads the rolled-up usage tables (migrations/0003_usage.sql) for the usage lists of clusters,
/// associations and wckeys (as_mysql_usage.c _get_cluster_usage, _get_object_usage; records spec §10.4).
/// One record per stored row, never summed: sreport adds them up. TRES name and type come from the
/// tres table (NULL when unknown, as from the reference's TRES cache).
/// </summary>
public sealed class UsageRepository(TimeProvider time)
{
    private sealed class ClusterUsageRow
    {
        public uint IdTres { get; init; }
        public ulong AllocSecs { get; init; }
        public ulong DownSecs { get; init; }
        public ulong PdownSecs { get; init; }
        public ulong IdleSecs { get; init; }
        public ulong PlanSecs { get; init; }
        public ulong OverSecs { get; init; }
        public ulong Count { get; init; }
        public long TimeStart { get; init; }
        public string? Name { get; init; }
        public string? Type { get; init; }
    }

    private sealed class ObjectUsageRow
    {
        public uint Id { get; init; }
        public uint IdTres { get; init; }
        public long TimeStart { get; init; }
        public ulong AllocSecs { get; init; }
        public string? Name { get; init; }
        public string? Type { get; init; }
    }

    private const string TresColumns = "NULLIF(t.name, '') AS name, t.type";

    private UsageWindow WindowFor(long start, long end) => UsageWindow.For(start, end, time.GetUtcNow(), time.LocalTimeZone);

    /// <summary>
    /// The cluster's rows of every TRES in the window. The reference's query has no ORDER BY and MySQL reads
    /// it through the time_start key, so rows come by period, then TRES (the key's primary-key suffix).
    /// </summary>
    public List<ClusterAccountingRecord> ClusterUsage(SqlScope scope, uint clusterId, long start, long end)
    {
        var window = WindowFor(start, end);
        return scope.Connection.Query<ClusterUsageRow>($"""
            SELECT u.id_tres, u.alloc_secs, u.down_secs, u.pdown_secs, u.idle_secs, u.plan_secs, u.over_secs, u.`count`, u.time_start,
                   {TresColumns}
            FROM {window.Table("cluster")} u LEFT JOIN tres t ON t.id = u.id_tres
            WHERE u.cluster_id = @ClusterId AND u.time_start < @End AND u.time_start >= @Start
            ORDER BY u.time_start, u.id_tres
            """, new { ClusterId = clusterId, window.Start, window.End }, scope.Transaction)
            .Select(r => new ClusterAccountingRecord(r.AllocSecs, new TresRecord(0, r.Count, r.IdTres, r.Name, r.Type), r.DownSecs, r.IdleSecs,
                r.OverSecs, r.PdownSecs, r.TimeStart, r.PlanSecs))
            .ToList();
    }

    /// <summary>
    /// The rows of each requested association and of every association below it (lft within its
    /// lft..rgt), each labelled with the requested association's id; by id, then period, as the reference
    /// orders them (its order among the rows of one period is MySQL's filesort's; sreport sums them).
    /// </summary>
    public ILookup<uint, AccountingRecord> AssociationUsage(SqlScope scope, uint clusterId, IReadOnlyCollection<uint> ids, long start, long end)
    {
        var window = WindowFor(start, end);
        return ObjectUsage(scope.Connection.Query<ObjectUsageRow>($"""
            SELECT t3.id_assoc AS id, u.id_tres, u.time_start, u.alloc_secs, {TresColumns}
            FROM {window.Table("assoc")} u
            JOIN assoc t2 ON t2.cluster_id = u.cluster_id AND t2.id_assoc = u.id_assoc
            JOIN assoc t3 ON t3.cluster_id = u.cluster_id AND t2.lft BETWEEN t3.lft AND t3.rgt
            LEFT JOIN tres t ON t.id = u.id_tres
            WHERE u.cluster_id = @ClusterId AND u.time_start < @End AND u.time_start >= @Start AND t3.id_assoc IN @Ids
            ORDER BY t3.id_assoc, u.time_start, t2.lft, u.id_tres
            """, new { ClusterId = clusterId, window.Start, window.End, Ids = ids }, scope.Transaction));
    }

    /// <summary>The rows of each requested wckey, by id, then period.</summary>
    public ILookup<uint, AccountingRecord> WckeyUsage(SqlScope scope, uint clusterId, IReadOnlyCollection<uint> ids, long start, long end)
    {
        var window = WindowFor(start, end);
        return ObjectUsage(scope.Connection.Query<ObjectUsageRow>($"""
            SELECT u.id_wckey AS id, u.id_tres, u.time_start, u.alloc_secs, {TresColumns}
            FROM {window.Table("wckey")} u LEFT JOIN tres t ON t.id = u.id_tres
            WHERE u.cluster_id = @ClusterId AND u.time_start < @End AND u.time_start >= @Start AND u.id_wckey IN @Ids
            ORDER BY u.id_wckey, u.time_start, u.id_tres
            """, new { ClusterId = clusterId, window.Start, window.End, Ids = ids }, scope.Transaction));
    }

    /// <summary>
    /// with_usage on DBD_GET_CLUSTERS: every cluster gets its usage list, empty when nothing was rolled up,
    /// so the reply carries a list (count 0) rather than none.
    /// </summary>
    public List<ClusterRecord> WithClusterUsage(SqlScope scope, List<ClusterRecord> clusters, long start, long end) =>
        clusters.Select(c => c with
        {
            AccountingList = ClusterId(scope, c.Name) is { } id ? ClusterUsage(scope, id, start, end) : [],
        }).ToList();

    /// <summary>with_usage on DBD_GET_ASSOCS (get_usage_for_list, per cluster): each association its list.</summary>
    public List<AssociationRecord> WithAssociationUsage(SqlScope scope, List<AssociationRecord> associations, long start, long end)
    {
        var byCluster = associations.GroupBy(a => a.Cluster ?? "").ToDictionary(g => g.Key, g =>
            ClusterId(scope, g.Key) is { } id ? AssociationUsage(scope, id, g.Select(a => a.Id).ToList(), start, end) : null);
        return associations.Select(a => a with { AccountingList = byCluster[a.Cluster ?? ""]?[a.Id].ToList() ?? [] }).ToList();
    }

    /// <summary>with_usage on DBD_GET_WCKEYS.</summary>
    public List<WckeyRecord> WithWckeyUsage(SqlScope scope, List<WckeyRecord> wckeys, long start, long end)
    {
        var byCluster = wckeys.GroupBy(w => w.Cluster ?? "").ToDictionary(g => g.Key, g =>
            ClusterId(scope, g.Key) is { } id ? WckeyUsage(scope, id, g.Select(w => w.Id).ToList(), start, end) : null);
        return wckeys.Select(w => w with { AccountingList = byCluster[w.Cluster ?? ""]?[w.Id].ToList() ?? [] }).ToList();
    }

    /// <summary>The cluster's id, removed clusters included: their usage stays readable.</summary>
    public static uint? ClusterId(SqlScope scope, string? name) => string.IsNullOrEmpty(name)
        ? null
        : scope.Connection.QuerySingleOrDefault<uint?>("SELECT id FROM cluster WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256))",
            new { Name = name }, scope.Transaction);

    private static ILookup<uint, AccountingRecord> ObjectUsage(IEnumerable<ObjectUsageRow> rows) =>
        rows.Select(r => new AccountingRecord(r.AllocSecs, new TresRecord(0, 0, r.IdTres, r.Name, r.Type), r.Id, r.TimeStart))
            .ToLookup(r => r.Id);
}
