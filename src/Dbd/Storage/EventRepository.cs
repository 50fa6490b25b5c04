using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>
/// The event table (records spec §11.1–11.2): cluster registrations (node_name '') written by
/// DBD_CLUSTER_TRES, node down periods written by DBD_NODE_STATE, and DBD_GET_EVENTS.
/// </summary>
public sealed class EventRepository(RollupRewind rollupRewind)
{
    /// <summary>The reason the reference stores on a cluster registration event.</summary>
    public const string ClusterRegisteredReason = "Cluster Registered TRES";

    /// <summary>NODE_STATE_BASE: the low bits of a node state that are its base state.</summary>
    private const uint NodeStateBase = 0x0000000f;

    private sealed class OpenClusterEvent
    {
        public string Tres { get; init; } = "";
        public string ClusterNodes { get; init; } = "";
    }

    /// <summary>
    /// as_mysql_cluster_tres (wire spec §9.3): compares with the open cluster event. Same TRES and nodes: 0,
    /// nothing written. Otherwise every open event of the cluster is closed at event_time and a new cluster
    /// event opened; rc 10002 when there was none, 10005 when the node list changed, 10004 when only the
    /// TRES did (closing also ends a cluster down event). The insert tolerates a repeated event_time (a replayed message re-opens its own row).
    /// </summary>
    public int RegisterClusterTres(SqlScope scope, uint clusterId, string? clusterNodes, string tres, long eventTime)
    {
        var open = scope.Connection.QueryFirstOrDefault<OpenClusterEvent>("""
            SELECT tres, cluster_nodes FROM event
            WHERE cluster_id = @ClusterId AND time_end = 0 AND node_name = '' AND state = 0 LIMIT 1
            """, new { ClusterId = clusterId }, scope.Transaction);
        string nodes = clusterNodes ?? "";
        int rc;
        if (open is null)
            rc = SlurmError.AccountingFirstRegistration;
        else if (open.ClusterNodes != nodes)
            rc = SlurmError.AccountingNodesChangeDb;
        else if (open.Tres != tres)
            rc = SlurmError.AccountingTresChangeDb;
        else
        {
            // The controller is back with what it had: a "slurmctld disconnect" event (TrackSlurmctldDown) ends.
            scope.Connection.Execute("""
                UPDATE event SET time_end = @EventTime
                WHERE cluster_id = @ClusterId AND time_end = 0 AND state = @Down AND node_name = ''
                """, new { ClusterId = clusterId, EventTime = eventTime, Down = NodeStateDown }, scope.Transaction);
            return SlurmError.Success;
        }

        rollupRewind.Rewind(scope, clusterId, eventTime);
        if (open is not null)
            scope.Connection.Execute("UPDATE event SET time_end = @EventTime WHERE cluster_id = @ClusterId AND time_end = 0",
                new { ClusterId = clusterId, EventTime = eventTime }, scope.Transaction);
        scope.Connection.Execute("""
            INSERT INTO event (cluster_id, cluster_nodes, tres, time_start, reason)
            VALUES (@ClusterId, @Nodes, @Tres, @EventTime, @Reason)
            ON DUPLICATE KEY UPDATE time_end = 0, tres = VALUES(tres), cluster_nodes = VALUES(cluster_nodes)
            """, new { ClusterId = clusterId, Nodes = nodes, Tres = tres, EventTime = eventTime, Reason = ClusterRegisteredReason },
            scope.Transaction);
        return rc;
    }

    /// <summary>NODE_STATE_DOWN, the state of the cluster event that records a controller gone.</summary>
    private const uint NodeStateDown = 1;

    /// <summary>The reason of that event (as_mysql_fini_ctld).</summary>
    public const string ControllerDisconnectReason = "slurmctld disconnect";

    /// <summary>
    /// as_mysql_fini_ctld with TrackSlurmctldDown: the registered controller's connection dropped, so a cluster
    /// event in state DOWN opens with its TRES (the controller's last accepted DBD_CLUSTER_TRES, else the
    /// open registration's), which rollups read as the whole cluster down. Nothing without a TRES to record.
    /// The reference's insert fails on a second event in the same second; this one then keeps the first.
    /// </summary>
    public void ControllerDown(SqlScope scope, uint clusterId, string? lastTres, long now)
    {
        string? tres = lastTres ?? scope.Connection.QueryFirstOrDefault<string>("""
            SELECT tres FROM event WHERE cluster_id = @ClusterId AND time_end = 0 AND node_name = '' AND state = 0 LIMIT 1
            """, new { ClusterId = clusterId }, scope.Transaction);
        if (tres is null)
            return;
        scope.Connection.Execute("""
            INSERT IGNORE INTO event (cluster_id, tres, state, time_start, reason)
            VALUES (@ClusterId, @Tres, @Down, @Now, @Reason)
            """, new { ClusterId = clusterId, Tres = tres, Down = NodeStateDown, Now = now, Reason = ControllerDisconnectReason },
            scope.Transaction);
    }

    private sealed class OpenNodeEvent
    {
        public uint State { get; init; }
        public string Reason { get; init; } = "";
        public long TimeStart { get; init; }
    }

    /// <summary>
    /// as_mysql_node_down: nothing when the node's open event already has this state and reason; only the
    /// reason when it started at the same time (a controller restarted in the same second, or a replay);
    /// otherwise the open event is closed and a new one opened.
    /// </summary>
    public void NodeDown(SqlScope scope, uint clusterId, string node, uint state, string reason, uint reasonUid, string tres, long eventTime)
    {
        var open = scope.Connection.QueryFirstOrDefault<OpenNodeEvent>("""
            SELECT state, reason, time_start FROM event
            WHERE cluster_id = @ClusterId AND time_end = 0 AND node_name_hash = UNHEX(SHA2(RTRIM(@Node), 256))
            """, new { ClusterId = clusterId, Node = node }, scope.Transaction);
        if (open is not null && open.State == state && string.Equals(open.Reason, reason, StringComparison.OrdinalIgnoreCase))
            return;
        if (open is not null && open.TimeStart == eventTime)
        {
            scope.Connection.Execute("""
                UPDATE event SET reason = @Reason
                WHERE cluster_id = @ClusterId AND time_start = @EventTime AND node_name_hash = UNHEX(SHA2(RTRIM(@Node), 256))
                """, new { ClusterId = clusterId, Node = node, Reason = reason, EventTime = eventTime }, scope.Transaction);
            return;
        }
        NodeUp(scope, clusterId, node, eventTime);
        rollupRewind.Rewind(scope, clusterId, eventTime);
        scope.Connection.Execute("""
            INSERT INTO event (cluster_id, node_name, state, tres, time_start, reason, reason_uid)
            VALUES (@ClusterId, @Node, @State, @Tres, @EventTime, @Reason, @ReasonUid)
            ON DUPLICATE KEY UPDATE time_end = 0
            """, new { ClusterId = clusterId, Node = node, State = state, Tres = tres, EventTime = eventTime, Reason = reason, ReasonUid = reasonUid },
            scope.Transaction);
    }

    /// <summary>as_mysql_node_up: closes the node's open down event, if any.</summary>
    public void NodeUp(SqlScope scope, uint clusterId, string node, long eventTime)
    {
        int closed = scope.Connection.Execute("""
            UPDATE event SET time_end = @EventTime
            WHERE cluster_id = @ClusterId AND time_end = 0 AND node_name_hash = UNHEX(SHA2(RTRIM(@Node), 256))
            """, new { ClusterId = clusterId, Node = node, EventTime = eventTime }, scope.Transaction);
        if (closed != 0)
            rollupRewind.Rewind(scope, clusterId, eventTime);
    }

    private sealed class EventRow
    {
        public string Cluster { get; init; } = "";
        public string ClusterNodes { get; init; } = "";
        public string NodeName { get; init; } = "";
        public uint State { get; init; }
        public long TimeStart { get; init; }
        public long TimeEnd { get; init; }
        public string Reason { get; init; } = "";
        public uint ReasonUid { get; init; }
        public string Tres { get; init; } = "";
    }

    /// <summary>
    /// DBD_GET_EVENTS (as_mysql_get_cluster_events): the condition's filters, over the listed clusters or
    /// all of them; the node list is a comma list of names. Ordered by cluster, then start (reference: one
    /// query per cluster in table order).
    /// </summary>
    public List<EventRecord> Find(SqlScope scope, EventCondition condition, long now)
    {
        var filter = new SqlFilter().Where("c.deleted = 0").In("c.name", condition.ClusterList);
        if (condition.CpusMin != 0)
        {
            const string cpus = "CONVERT(SUBSTRING_INDEX(e.tres, '1=', -1), UNSIGNED INTEGER)";
            if (condition.CpusMax != 0)
                filter.Where(filter.Bind($"{cpus} BETWEEN @value", condition.CpusMin) + filter.Bind(" AND @value", condition.CpusMax));
            else
                filter.Where($"{cpus} = @value", condition.CpusMin);
        }
        if (condition.EventType == EventType.Cluster)
            filter.Where("e.node_name = ''");
        else if (condition.EventType == EventType.Node)
            filter.Where("e.node_name <> ''");
        if (!string.IsNullOrEmpty(condition.NodeList))
            filter.In("e.node_name", condition.NodeList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        bool openOnly = (condition.CondFlags & EventCondition.CondFlagOpen) != 0;
        if (condition.PeriodStart != 0)
        {
            long end = condition.PeriodEnd != 0 ? condition.PeriodEnd : now;
            if (openOnly)
                filter.Where("e.time_start >= @value AND e.time_end = 0", condition.PeriodStart);
            else
                filter.Where(filter.Bind("e.time_start < @value", end) + filter.Bind(" AND (e.time_end >= @value OR e.time_end = 0)", condition.PeriodStart));
        }
        else if (openOnly)
            filter.Where("e.time_end = 0");
        if (condition.ReasonList is { Count: > 0 } reasons)
            filter.Where("(" + string.Join(" OR ", reasons.Select(r => filter.Bind("e.reason LIKE @value", $"%{r}%"))) + ")");
        filter.InNumbers("e.reason_uid", condition.ReasonUidList);
        if (condition.StateList is { Count: > 0 } states)
        {
            var clauses = states.Select(text => uint.TryParse(text, out uint value) ? value : 0).Select(value =>
                (value & NodeStateBase) != 0
                    ? filter.Bind(filter.Bind("(e.state & @value) = ", NodeStateBase) + "@value", value & NodeStateBase)
                    : filter.Bind("(e.state & @value) <> 0", value));
            filter.Where("(" + string.Join(" OR ", clauses) + ")");
        }
        var rows = scope.Connection.Query<EventRow>($"""
            SELECT c.name AS cluster, e.cluster_nodes, e.node_name, e.state, e.time_start, e.time_end, e.reason, e.reason_uid, e.tres
            FROM event e JOIN cluster c ON c.id = e.cluster_id{filter.WhereClause}
            ORDER BY c.name, e.time_start, e.id
            """, filter.Parameters, scope.Transaction);
        return rows.Select(row => new EventRecord
        {
            Cluster = row.Cluster,
            ClusterNodes = ColumnText.NullIfEmpty(row.ClusterNodes),
            EventType = row.NodeName.Length == 0 ? EventType.Cluster : EventType.Node,
            NodeName = ColumnText.NullIfEmpty(row.NodeName),
            PeriodStart = row.TimeStart,
            PeriodEnd = row.TimeEnd,
            Reason = ColumnText.NullIfEmpty(row.Reason),
            ReasonUid = row.ReasonUid,
            State = row.State,
            TresString = ColumnText.NullIfEmpty(row.Tres),
        }).ToList();
    }
}
