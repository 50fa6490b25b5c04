using System.Text;
using Accounting.Dbd.Rollup;
using Dapper;
using MySql.Data.MySqlClient;

namespace Accounting.Dbd.Storage;

/// <summary>
/// What the usage rollup reads and writes (records spec §10; as_mysql_rollup.c): the hour's events,
/// reservations, jobs and suspend intervals; the hour, day and month rows of cluster, association and
/// wckey usage; the rollup marks of last_ran. A period is always rewritten whole (its rows deleted and
/// inserted in the caller's transaction), so computing it again replaces it.
/// </summary>
public sealed class UsageRollupRepository
{
    /// <summary>Rows per multi-row INSERT, to stay far below the server's placeholder and packet limits.</summary>
    private const int InsertBatch = 500;

    public sealed record Marks(long Hourly, long Daily, long Monthly);

    /// <summary>
    /// The cluster's marks, locked until the caller's transaction ends. Holding the lock while a period is
    /// computed is what makes it safe: a second daemon waits and then sees the period done, and a late
    /// controller record (which rewinds the marks under the same lock) is either in the snapshot read
    /// after the lock or rewinds the marks after this transaction.
    /// </summary>
    public Marks? LockMarks(SqlScope scope, uint clusterId) =>
        scope.Connection.QuerySingleOrDefault<Marks>(
            "SELECT CAST(hourly_rollup AS SIGNED) AS Hourly, CAST(daily_rollup AS SIGNED) AS Daily, CAST(monthly_rollup AS SIGNED) AS Monthly FROM last_ran WHERE cluster_id = @ClusterId FOR UPDATE",
            new { ClusterId = clusterId }, scope.Transaction);

    /// <summary>The start of the cluster's first registration event (as_mysql_usage.c initialises the marks from it).</summary>
    public long? FirstRegistration(SqlScope scope, uint clusterId) =>
        scope.Connection.ExecuteScalar<long?>(
            "SELECT MIN(time_start) FROM event WHERE cluster_id = @ClusterId AND node_name = ''",
            new { ClusterId = clusterId }, scope.Transaction);

    /// <summary>First marks of a cluster; a concurrent first pass of another daemon may have made them already.</summary>
    public void InitialiseMarks(SqlScope scope, uint clusterId, long time) =>
        scope.Connection.Execute(
            "INSERT IGNORE INTO last_ran (cluster_id, hourly_rollup, daily_rollup, monthly_rollup) VALUES (@ClusterId, @Time, @Time, @Time)",
            new { ClusterId = clusterId, Time = time }, scope.Transaction);

    public void SetMarks(SqlScope scope, uint clusterId, Marks marks) =>
        scope.Connection.Execute(
            "UPDATE last_ran SET hourly_rollup = @Hourly, daily_rollup = @Daily, monthly_rollup = @Monthly WHERE cluster_id = @ClusterId",
            new { ClusterId = clusterId, marks.Hourly, marks.Daily, marks.Monthly }, scope.Transaction);

    /// <summary>The cluster ids and names the rollup passes over: every cluster not removed.</summary>
    public List<(uint Id, string Name)> Clusters(SqlScope scope) =>
        scope.Connection.Query<(uint, string)>("SELECT id, name FROM cluster WHERE deleted = 0 ORDER BY id", transaction: scope.Transaction).ToList();

    /// <summary>The rows of one hour, in the reference's orders (the sums do not depend on it, its corner cases do).</summary>
    public HourInputs ReadHour(SqlScope scope, uint clusterId, long start, long end, bool trackWckey)
    {
        var window = new { ClusterId = clusterId, Start = start, End = end, Maintenance = HourlyUsage.NodeStateMaintenance };
        var reservations = scope.Connection.Query<ReservationSpan>("""
            SELECT id_resv AS Id, assoclist AS Assocs, flags AS Flags, nodelist AS Nodes, tres AS Tres,
                CAST(time_start AS SIGNED) AS Start, CAST(time_end AS SIGNED) AS End, unused_wall AS UnusedWall
            FROM resv WHERE cluster_id = @ClusterId AND time_start < @End AND time_end >= @Start
            ORDER BY time_start, id_resv
            """, window, scope.Transaction).ToList();
        // Maintenance events are accounted through their reservation.
        var events = scope.Connection.Query<EventSpan>("""
            SELECT node_name AS NodeName, CAST(time_start AS SIGNED) AS Start, CAST(time_end AS SIGNED) AS End, state AS State, tres AS Tres
            FROM event WHERE cluster_id = @ClusterId AND (state & @Maintenance) = 0
                AND time_start < @End AND (time_end >= @Start OR time_end = 0)
            ORDER BY node_name, time_start
            """, window, scope.Transaction).ToList();
        var hour = new HourInputs(start, end, events, reservations, [], new Dictionary<ulong, List<SuspendSpan>>(), trackWckey);
        List<JobGroup> groups = [];
        List<JobSpan>? jobs = null;
        if (HourlyUsage.GroupableSpan(hour) is { } registered)
        {
            (groups, jobs) = ReadJobsGrouped(scope, clusterId, start, end, registered);
            if (jobs is null || !HourlyUsage.SumsExactly(groups, jobs))
                (groups, jobs) = ([], null);
        }
        jobs ??= ReadJobs(scope, clusterId, start, end);
        var suspends = scope.Connection.Query<(ulong DbIndex, long Start, long End)>("""
            SELECT job_db_inx, CAST(time_start AS SIGNED), CAST(time_end AS SIGNED) FROM suspend
            WHERE cluster_id = @ClusterId AND time_start < @End AND (time_end >= @Start OR time_end = 0)
            ORDER BY job_db_inx, time_start
            """, window, scope.Transaction)
            .GroupBy(row => row.DbIndex)
            .ToDictionary(group => group.Key, group => group.Select(row => new SuspendSpan(row.Start, row.End)).ToList());
        return hour with { Jobs = jobs, Suspends = suspends, JobGroups = groups };
    }

    /// <summary>The jobs of the window (<see cref="HourInputs.Jobs"/>).</summary>
    private const string JobWindow = """
        cluster_id = @ClusterId AND time_eligible <> 0 AND time_eligible < @End AND (time_end >= @Start OR time_end = 0)
        """;

    /// <summary>The job's start and end clipped to the hour, as HourlyUsage clips them for a job that started.</summary>
    private const string RowStart = "GREATEST(CAST(time_start AS SIGNED), @Start)";

    private const string RowEnd = "LEAST(IF(time_end = 0, @End, CAST(time_end AS SIGNED)), @End)";

    /// <summary>
    /// The jobs a <see cref="JobGroup"/> sums. Their TRES strings are grouped as CHAR(255), which keeps the
    /// server's grouping table in memory (a TEXT key puts it on disk); under utf8mb4_bin two strings are
    /// equal only when they differ by trailing spaces, which TresString reads the same.
    /// </summary>
    private static readonly string Groupable = $"""
        id_resv = 0 AND time_suspended = 0 AND array_task_pending = 0 AND time_start <> 0 AND {RowEnd} - {RowStart} >= 1
            AND CHAR_LENGTH(tres_alloc) <= {TresKeyLength}
        """;

    private const int TresKeyLength = 255;

    /// <summary>
    /// The window's jobs in one pass: the groupable ones summed per association, wckey and TRES string by the
    /// server, so a busy hour moves a row per group instead of one per job, and every other job a row of
    /// its own (its values are the MINs of its one-row group). The reserved CPU seconds are HourlyUsage's
    /// waiting time in the registered span times the CPUs requested, exact integers in the server's
    /// decimals. Null jobs when a single job's TRES string is longer than the grouping key.
    /// </summary>
    private static (List<JobGroup> Groups, List<JobSpan>? Jobs) ReadJobsGrouped(SqlScope scope, uint clusterId, long start, long end,
        (long Start, long End) registered)
    {
        using var command = new MySqlCommand($"""
            SELECT id_assoc, id_wckey, CAST(tres_alloc AS CHAR({TresKeyLength}) CHARACTER SET utf8mb4) COLLATE utf8mb4_bin AS tres,
                MAX({Groupable}), MAX(CHAR_LENGTH(tres_alloc)), COUNT(*), SUM({RowEnd} - {RowStart}),
                SUM(IF({RowStart} >= @ClusterStart,
                    GREATEST(LEAST({RowStart}, @ClusterEnd) - GREATEST(CAST(time_eligible AS SIGNED), @ClusterStart), 0) * cpus_req, 0)),
                MIN(job_db_inx), MIN(array_task_pending), MIN(time_eligible), MIN(time_start), MIN(time_end), MIN(time_suspended),
                MIN(cpus_req), MIN(id_resv)
            FROM job WHERE {JobWindow}
            GROUP BY id_assoc, id_wckey, tres, IF({Groupable}, 0, job_db_inx)
            ORDER BY NULL
            """, scope.Connection, scope.Transaction);
        AddWindow(command, clusterId, start, end);
        command.Parameters.AddWithValue("@ClusterStart", registered.Start);
        command.Parameters.AddWithValue("@ClusterEnd", registered.End);
        var groups = new List<JobGroup>();
        var jobs = new List<JobSpan>();
        bool truncated = false;
        using (var reader = command.ExecuteReader())
            while (reader.Read())
            {
                uint assocId = reader.GetUInt32(0), wckeyId = reader.GetUInt32(1);
                string tres = reader.GetString(2);
                if (reader.GetInt64(3) == 1)
                {
                    decimal reserved = reader.GetDecimal(7);
                    groups.Add(new JobGroup(assocId, wckeyId, tres, reader.GetInt64(5), (long)reader.GetDecimal(6),
                        reserved >= ulong.MaxValue ? ulong.MaxValue : (ulong)reserved));
                    continue;
                }
                truncated |= reader.GetInt64(4) > TresKeyLength;
                jobs.Add(new JobSpan(reader.GetUInt64(8), assocId, wckeyId, reader.GetUInt32(9), (long)reader.GetUInt64(10),
                    (long)reader.GetUInt64(11), (long)reader.GetUInt64(12), (long)reader.GetUInt64(13), reader.GetUInt32(14),
                    reader.GetUInt32(15), tres));
            }
        groups.Sort((a, b) => a.AssocId.CompareTo(b.AssocId));
        SortLikeReference(jobs);
        return (groups, truncated ? null : jobs);
    }

    private static void AddWindow(MySqlCommand command, uint clusterId, long start, long end)
    {
        command.Parameters.AddWithValue("@ClusterId", clusterId);
        command.Parameters.AddWithValue("@Start", start);
        command.Parameters.AddWithValue("@End", end);
    }

    /// <summary>
    /// The jobs of the window one by one, read without Dapper and sorted here rather than by the server:
    /// when they cannot be grouped this is the one large read of the rollup (every job running in the
    /// hour), and both halve its time on 100,000 jobs.
    /// </summary>
    private static List<JobSpan> ReadJobs(SqlScope scope, uint clusterId, long start, long end)
    {
        using var command = new MySqlCommand($"""
            SELECT job_db_inx, id_assoc, id_wckey, array_task_pending, time_eligible, time_start, time_end, time_suspended,
                cpus_req, id_resv, tres_alloc
            FROM job WHERE {JobWindow}
            """, scope.Connection, scope.Transaction);
        AddWindow(command, clusterId, start, end);
        var jobs = new List<JobSpan>();
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                jobs.Add(new JobSpan(reader.GetUInt64(0), reader.GetUInt32(1), reader.GetUInt32(2), reader.GetUInt32(3),
                    (long)reader.GetUInt64(4), (long)reader.GetUInt64(5), (long)reader.GetUInt64(6), (long)reader.GetUInt64(7),
                    reader.GetUInt32(8), reader.GetUInt32(9), reader.GetString(10)));
        SortLikeReference(jobs);
        return jobs;
    }

    /// <summary>The reference's ORDER BY id_assoc, time_eligible (its ties broken by row).</summary>
    private static void SortLikeReference(List<JobSpan> jobs) =>
        jobs.Sort((a, b) => a.AssocId != b.AssocId ? a.AssocId.CompareTo(b.AssocId)
            : a.Eligible != b.Eligible ? a.Eligible.CompareTo(b.Eligible) : a.DbIndex.CompareTo(b.DbIndex));

    /// <summary>Replaces the hour's cluster, association and wckey rows and stores the reservations' unused wall time.</summary>
    public void WriteHour(SqlScope scope, uint clusterId, long start, HourUsage usage, long now)
    {
        var key = new { ClusterId = clusterId, Start = start };
        foreach (string table in new[] { "cluster_usage_hour", "assoc_usage_hour", "wckey_usage_hour" })
            scope.Connection.Execute($"DELETE FROM {table} WHERE cluster_id = @ClusterId AND time_start = @Start", key, scope.Transaction);

        InsertRows(scope, "cluster_usage_hour",
            "cluster_id, time_start, id_tres, creation_time, mod_time, `count`, alloc_secs, down_secs, pdown_secs, idle_secs, over_secs, plan_secs",
            usage.Cluster, row => [clusterId, start, row.TresId, now, now, row.Count, row.Alloc, row.Down, row.PlannedDown, row.Idle, row.Over, row.Reserved]);
        InsertIdRows(scope, "assoc_usage_hour", "id_assoc", clusterId, start, usage.Associations, now);
        InsertIdRows(scope, "wckey_usage_hour", "id_wckey", clusterId, start, usage.Wckeys, now);

        foreach (var resv in usage.Reservations)
            scope.Connection.Execute(
                "UPDATE resv SET unused_wall = @UnusedWall WHERE cluster_id = @ClusterId AND id_resv = @Id AND time_start = @Start",
                new { ClusterId = clusterId, resv.Id, resv.Start, UnusedWall = Math.Round(resv.UnusedWall, 6) }, scope.Transaction);
    }

    /// <summary>
    /// as_mysql_nonhour_rollup for one day (from hour rows) or month (from day rows): association and wckey
    /// rows are sums per (id, TRES); cluster rows the largest count and the sum of every time column.
    /// </summary>
    public void RollPeriod(SqlScope scope, uint clusterId, bool month, long start, long end, bool trackWckey, long now)
    {
        string target = month ? "month" : "day", source = month ? "day" : "hour";
        var window = new { ClusterId = clusterId, Start = start, End = end, Now = now };
        foreach (string kind in new[] { "cluster", "assoc", "wckey" })
            scope.Connection.Execute($"DELETE FROM {kind}_usage_{target} WHERE cluster_id = @ClusterId AND time_start = @Start", window, scope.Transaction);
        scope.Connection.Execute($"""
            INSERT INTO cluster_usage_{target} (cluster_id, time_start, id_tres, creation_time, mod_time, `count`,
                alloc_secs, down_secs, pdown_secs, idle_secs, over_secs, plan_secs)
            SELECT @ClusterId, @Start, id_tres, @Now, @Now, MAX(`count`), SUM(alloc_secs), SUM(down_secs), SUM(pdown_secs),
                SUM(idle_secs), SUM(over_secs), SUM(plan_secs)
            FROM cluster_usage_{source} WHERE cluster_id = @ClusterId AND time_start >= @Start AND time_start < @End
            GROUP BY id_tres
            """, window, scope.Transaction);
        var idTables = trackWckey ? new[] { ("assoc", "id_assoc"), ("wckey", "id_wckey") } : new[] { ("assoc", "id_assoc") };
        foreach (var (kind, id) in idTables)
            scope.Connection.Execute($"""
                INSERT INTO {kind}_usage_{target} (cluster_id, {id}, time_start, id_tres, creation_time, mod_time, alloc_secs)
                SELECT @ClusterId, {id}, @Start, id_tres, @Now, @Now, SUM(alloc_secs)
                FROM {kind}_usage_{source} WHERE cluster_id = @ClusterId AND time_start >= @Start AND time_start < @End
                GROUP BY {id}, id_tres
                """, window, scope.Transaction);
    }

    private static void InsertIdRows(SqlScope scope, string table, string idColumn, uint clusterId, long start, IReadOnlyList<IdTresUsage> rows, long now) =>
        InsertRows(scope, table, $"cluster_id, {idColumn}, time_start, id_tres, creation_time, mod_time, alloc_secs",
            rows, row => [clusterId, row.Id, start, row.TresId, now, now, row.Alloc]);

    /// <summary>Multi-row INSERTs with bound values; table and column names are constants of this class.</summary>
    private static void InsertRows<T>(SqlScope scope, string table, string columns, IReadOnlyList<T> rows, Func<T, object[]> values)
    {
        for (int offset = 0; offset < rows.Count; offset += InsertBatch)
        {
            var sql = new StringBuilder($"INSERT INTO {table} ({columns}) VALUES ");
            var parameters = new DynamicParameters();
            int parameter = 0;
            foreach (var row in rows.Skip(offset).Take(InsertBatch))
            {
                if (parameter > 0)
                    sql.Append(',');
                sql.Append('(');
                var rowValues = values(row);
                for (int i = 0; i < rowValues.Length; i++)
                {
                    string name = $"p{parameter++}";
                    sql.Append(i == 0 ? "@" : ",@").Append(name);
                    parameters.Add(name, rowValues[i]);
                }
                sql.Append(')');
            }
            scope.Connection.Execute(sql.ToString(), parameters, scope.Transaction);
        }
    }
}
