using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>
/// The resv table as DBD_ADD/MODIFY/REMOVE_RESV write it (as_mysql_resv.c; wire spec §9.11, records spec §11.4).
/// A row is (cluster, id_resv, time_start): a change that matters for accounting after the reservation
/// started ends the current row and opens a new one.
/// </summary>
public sealed class ReservationRepository
{
    /// <summary>The columns a record sets; like _setup_resv_limits, unset fields (NULL, 0, NO_VAL64) keep the stored value.</summary>
    private static (List<string> Columns, DynamicParameters Parameters) Fields(ReservationRecord resv)
    {
        var columns = new List<string>();
        var parameters = new DynamicParameters();
        void Set(string column, object value)
        {
            columns.Add(column);
            parameters.Add(column, value);
        }
        if (resv.Assocs is { } assocs)
            Set("assoclist", PositiveAssociations(assocs));
        if (resv.Flags != SlurmValues.NoVal64)
            Set("flags", resv.Flags);
        if (resv.Name is { } name)
            Set("resv_name", name);
        if (resv.Nodes is { } nodes)
            Set("nodelist", nodes);
        if (resv.NodeIndexes is { } nodeIndexes)
            Set("node_inx", nodeIndexes);
        if (resv.TimeEnd != 0)
            Set("time_end", resv.TimeEnd);
        if (resv.TimeStart != 0)
            Set("time_start", resv.TimeStart);
        if (resv.TresString is { } tres)
            Set("tres", tres);
        if (resv.UnusedWall != 0)
            Set("unused_wall", resv.UnusedWall);
        return (columns, parameters);
    }

    /// <summary>
    /// Excluded associations ("-5") are dropped: they are only used to split idle time, and a list of only
    /// exclusions means everybody else may use the reservation.
    /// </summary>
    public static string PositiveAssociations(string assocs) =>
        string.Join(",", assocs.Split(',', StringSplitOptions.RemoveEmptyEntries).Where(id => !id.StartsWith('-')));

    /// <summary>as_mysql_add_resv: insert, or revive and refresh the row of the same start (a re-sent add).</summary>
    public void Add(SqlScope scope, uint clusterId, ReservationRecord resv)
    {
        var (columns, parameters) = Fields(resv);
        parameters.Add("ClusterId", clusterId);
        parameters.Add("Id", resv.Id);
        // The reference's resv_name has an empty default; ours is NOT NULL without one.
        string insertNames = columns.Contains("resv_name") ? "" : ", resv_name";
        string insertValues = columns.Contains("resv_name") ? "" : ", ''";
        string names = string.Concat(columns.Select(c => $", {c}"));
        string values = string.Concat(columns.Select(c => $", @{c}"));
        string updates = string.Concat(columns.Select(c => $", {c} = @{c}"));
        scope.Connection.Execute($"""
            INSERT INTO resv (cluster_id, id_resv{insertNames}{names}) VALUES (@ClusterId, @Id{insertValues}{values})
            ON DUPLICATE KEY UPDATE deleted = 0{updates}
            """, parameters, scope.Transaction);
    }

    private sealed class StoredReservation
    {
        public bool Deleted { get; init; }
        public long TimeStart { get; init; }
        public long TimeEnd { get; init; }
        public string ResvName { get; init; } = "";
        public string Assoclist { get; init; } = "";
        public ulong Flags { get; init; }
        public string NodeInx { get; init; } = "";
        public string Tres { get; init; } = "";
    }

    /// <summary>
    /// as_mysql_modify_resv: finds the newest live row from min(start, start_prev) on (adds it when there is
    /// none); drops the change when a newer row already started; updates in place when the reservation has
    /// not started or only name/end changed; otherwise ends that row at the new start and opens a new one.
    /// </summary>
    public void Modify(SqlScope scope, uint clusterId, ReservationRecord resv, long now)
    {
        var rows = scope.Connection.Query<StoredReservation>("""
            SELECT deleted, time_start, time_end, resv_name, assoclist, flags, node_inx, tres FROM resv
            WHERE cluster_id = @ClusterId AND id_resv = @Id AND time_start >= @From
            ORDER BY time_start DESC FOR UPDATE
            """, new { ClusterId = clusterId, resv.Id, From = Math.Min(resv.TimeStart, resv.TimeStartPrev) }, scope.Transaction).ToList();
        var current = rows.FirstOrDefault(r => !r.Deleted);
        if (current is null)
        {
            Add(scope, clusterId, resv);
            return;
        }
        long start = current.TimeStart;
        if (start > resv.TimeStart && start <= now)
            return;
        var key = new { ClusterId = clusterId, resv.Id, resv.TimeStart };
        if (rows.SkipWhile(r => r != current).Skip(1).Any(r => r.TimeStart == resv.TimeStart))
            scope.Connection.Execute("DELETE FROM resv WHERE cluster_id = @ClusterId AND id_resv = @Id AND time_start = @TimeStart",
                key, scope.Transaction);

        // The reference compares the node list with the stored node_inx; kept, since that decides new rows.
        bool changed = PositiveAssociationsOrNull(resv.Assocs) != NullIfEmpty(current.Assoclist)
            || resv.Flags != current.Flags
            || resv.Nodes != NullIfEmpty(current.NodeInx)
            || resv.TresString != NullIfEmpty(current.Tres);
        var effective = resv with
        {
            Name = resv.Name ?? NullIfEmpty(current.ResvName),
            TimeEnd = resv.TimeEnd != 0 ? resv.TimeEnd : current.TimeEnd,
        };
        if (start > now || !changed)
        {
            var (columns, parameters) = Fields(effective);
            parameters.Add("ClusterId", clusterId);
            parameters.Add("Id", resv.Id);
            parameters.Add("Start", start);
            string updates = string.Concat(columns.Select(c => $", {c} = @{c}"));
            scope.Connection.Execute($"""
                UPDATE resv SET deleted = 0{updates}
                WHERE cluster_id = @ClusterId AND deleted = 0 AND id_resv = @Id AND time_start = @Start
                """, parameters, scope.Transaction);
            return;
        }
        if (start != resv.TimeStart)
            scope.Connection.Execute("""
                UPDATE resv SET time_end = @TimeStart
                WHERE cluster_id = @ClusterId AND deleted = 0 AND id_resv = @Id AND time_start = @Start
                """, new { ClusterId = clusterId, resv.Id, resv.TimeStart, Start = start }, scope.Transaction);
        Add(scope, clusterId, effective);
    }

    /// <summary>
    /// as_mysql_remove_resv: a row that has not started by the removal (time_start_prev) is deleted; a
    /// started one is flagged deleted and ends at the removal time.
    /// </summary>
    public void Remove(SqlScope scope, uint clusterId, ReservationRecord resv)
    {
        var parameters = new { ClusterId = clusterId, resv.Id, resv.TimeStart, Removed = resv.TimeStartPrev };
        scope.Connection.Execute("""
            DELETE FROM resv WHERE cluster_id = @ClusterId AND id_resv = @Id AND time_start = @TimeStart AND time_start > @Removed
            """, parameters, scope.Transaction);
        scope.Connection.Execute("""
            UPDATE resv SET time_end = @Removed, deleted = 1
            WHERE cluster_id = @ClusterId AND deleted = 0 AND id_resv = @Id AND time_start = @TimeStart
            """, parameters, scope.Transaction);
    }

    private static string? PositiveAssociationsOrNull(string? assocs) => assocs is null ? null : NullIfEmpty(PositiveAssociations(assocs));

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
