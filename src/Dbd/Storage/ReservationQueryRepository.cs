using Accounting.Model.Records;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>
/// DBD_GET_RESVS (as_mysql_get_resvs; records spec §11.4): the reservation rows of the condition's clusters
/// (every live cluster when none is named) by cluster, start and name, removed rows included as the
/// reference includes them whenever a condition is sent.
/// </summary>
public sealed class ReservationQueryRepository
{
    private sealed class ResvRow
    {
        public uint ClusterId { get; init; }
        public string ClusterName { get; init; } = "";
        public uint IdResv { get; init; }
        public string Assoclist { get; init; } = "";
        public ulong Flags { get; init; }
        public string Nodelist { get; init; } = "";
        public string NodeInx { get; init; } = "";
        public string ResvName { get; init; } = "";
        public long TimeStart { get; init; }
        public long TimeEnd { get; init; }
        public string Tres { get; init; } = "";
        public double UnusedWall { get; init; }
    }

    private sealed class JobRow
    {
        public long TimeStart { get; init; }
        public long TimeEnd { get; init; }
        public string TresAlloc { get; init; } = "";
    }

    /// <param name="jobs">Whose jobs count towards the usage: not visible = none, no access = everybody's.</param>
    /// <param name="connectionCluster">The cluster the client named at persist init: a node filter without clusters means that one.</param>
    public List<ReservationRecord> Find(SqlScope scope, ReservationCondition condition, string? connectionCluster, long now,
        (bool Visible, JobAccess? Access) jobs)
    {
        var filter = new SqlFilter();
        var nodes = string.IsNullOrEmpty(condition.Nodes) ? null : HostList.Expand(condition.Nodes).ToHashSet(StringComparer.Ordinal);
        var clusterList = condition.ClusterList is { Count: > 0 } || nodes is null ? condition.ClusterList : [connectionCluster ?? ""];
        if (clusterList is { Count: > 0 } clusters)
            filter.In("c.name", clusters);
        else
            filter.Where("c.deleted = 0");
        filter.InNumbers("r.id_resv", condition.IdList);
        // sreport lower-cases the names it sends; the reference's latin1 collation matches them regardless of case.
        if (condition.NameList is { Count: > 0 } names)
            filter.Where("LOWER(r.resv_name) IN @value", names.Select(n => n.ToLowerInvariant()).ToList());
        // _setup_resv_cond_limits: a start without an end means "until now".
        if (condition.TimeStart != 0)
            filter.Where($"r.time_start < {filter.Bind("@value", condition.TimeEnd != 0 ? condition.TimeEnd : now)}"
                + $" AND (r.time_end >= {filter.Bind("@value", condition.TimeStart)} OR r.time_end = 0)");
        else if (condition.TimeEnd != 0)
            filter.Where("r.time_start < @value", condition.TimeEnd);
        var rows = scope.Connection.Query<ResvRow>($"""
            SELECT r.cluster_id, c.name AS cluster_name, r.id_resv, r.assoclist, r.flags, r.nodelist, r.node_inx, r.resv_name,
                   r.time_start, r.time_end, r.tres, r.unused_wall
            FROM resv r JOIN cluster c ON c.id = r.cluster_id{filter.WhereClause}
            ORDER BY c.name, r.time_start, r.resv_name
            """, filter.Parameters, scope.Transaction).ToList();
        // good_nodes_from_inx: only reservations on one of the nodes (compared by name, as the job query does).
        if (nodes is not null)
            rows = rows.Where(row => HostList.Expand(row.Nodelist).Any(nodes.Contains)).ToList();
        return rows.Select(row => new ReservationRecord
        {
            Assocs = row.Assoclist, Cluster = row.ClusterName, Flags = row.Flags, Id = row.IdResv, Name = row.ResvName,
            Nodes = row.Nodelist, NodeIndexes = row.NodeInx, TimeEnd = row.TimeEnd, TimeStart = row.TimeStart, TresString = row.Tres,
            UnusedWall = row.UnusedWall, TresList = condition.WithUsage != 0 && jobs.Visible ? Usage(scope, row, now, jobs.Access) : null,
        }).ToList();
    }

    /// <summary>
    /// _get_usage_for_resv and _add_usage_to_resv: the jobs of the reservation in its window (the job
    /// query's usage window, its end lowered to now), each job's TRES × the seconds it ran inside the
    /// reservation. As slurmdb_add_time_from_count_to_tres_list builds it, a TRES seen first is put at
    /// the front with the count of the job that brought it. No job inside: no list.
    /// </summary>
    private static List<TresRecord>? Usage(SqlScope scope, ResvRow resv, long now, JobAccess? access)
    {
        long windowEnd = resv.TimeEnd == 0 || resv.TimeEnd > now ? now : resv.TimeEnd;
        var filter = new SqlFilter().Where("t1.cluster_id = @value", resv.ClusterId).Where("t1.id_resv = @value", resv.IdResv);
        filter.Where($"t1.time_eligible <> 0 AND t1.time_eligible < {filter.Bind("@value", windowEnd)}"
            + $" AND (t1.time_end >= {filter.Bind("@value", resv.TimeStart)} OR t1.time_end = 0)");
        if (access is not null)
        {
            var lfts = access.VisibleLfts(scope, resv.ClusterId);
            if (lfts.Count == 0)
                return null;
            JobAccess.AddTo(filter, lfts);
        }
        var jobs = scope.Connection.Query<JobRow>($"SELECT t1.time_start, t1.time_end, t1.tres_alloc FROM job t1{filter.WhereClause} ORDER BY t1.time_submit, t1.id_job",
            filter.Parameters, scope.Transaction);
        List<TresRecord>? list = null;
        foreach (var job in jobs)
        {
            long start = Math.Max(job.TimeStart, resv.TimeStart);
            long end = job.TimeEnd == 0 || job.TimeEnd > resv.TimeEnd ? resv.TimeEnd : job.TimeEnd;
            long elapsed = end - start;
            if (elapsed < 1)
                continue;
            foreach (var (id, count) in Counts(job.TresAlloc))
            {
                list ??= [];
                int at = list.FindIndex(t => t.Id == id);
                if (at < 0)
                {
                    list.Insert(0, new TresRecord(0, count, id, null, null));
                    at = 0;
                }
                list[at] = list[at] with { AllocSeconds = list[at].AllocSeconds + count * (ulong)elapsed };
            }
        }
        return list;
    }

    private static IEnumerable<(uint Id, ulong Count)> Counts(string tres) =>
        tres.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split('=', 2))
            .Where(parts => parts.Length == 2 && uint.TryParse(parts[0], out _) && ulong.TryParse(parts[1], out _))
            .Select(parts => (uint.Parse(parts[0]), ulong.Parse(parts[1])));
}
