using Accounting.Dbd.Rollup;
using Accounting.Dbd.Storage;
using Accounting.Tests.Support;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using MySql.Data.MySqlClient;

namespace Accounting.Tests.Dbd.Rollup;

/// <summary>A logger keeping errors with their exceptions.</summary>
public sealed class ErrorLog<T> : Microsoft.Extensions.Logging.ILogger<T>
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _errors = new();

    public override string ToString() => string.Join("\n", _errors);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => logLevel >= Microsoft.Extensions.Logging.LogLevel.Error;

    public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
        Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
            _errors.Enqueue($"{formatter(state, exception)}: {exception}");
    }
}

/// <summary>A clock the test sets.</summary>
public sealed class SettableClock(long now) : TimeProvider
{
    public long Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(Now);

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}

/// <summary>
/// A migrated database of the shared MariaDB with one cluster, rows written straight into the 0002 tables
/// as the controller handlers store them, and the rollup over it (UTC, so hours and days are plain).
/// </summary>
public sealed class RollupDatabase
{
    public const string Cluster = "alpha";

    private readonly SharedServices _services;

    public RollupDatabase(SharedServices services, long now, bool trackWckey = false)
    {
        _services = services;
        Database = services.MariaDb.NewDatabaseName();
        Locator = new DatabaseLocator(new StorageOptions
        {
            Host = "127.0.0.1",
            Port = (uint)services.MariaDb.Port,
            User = MariaDbServer.User,
            Password = MariaDbServer.Password,
            Database = Database,
        }, NullLogger<DatabaseLocator>.Instance);
        new MigrationRunner(Locator, NullLogger<MigrationRunner>.Instance).Run(Migration.Embedded());
        Clock = new SettableClock(now);
        Periods = new RollupPeriods(TimeZoneInfo.Utc);
        TrackWckey = trackWckey;
        using var connection = Open();
        connection.Execute("INSERT INTO cluster (name, creation_time, mod_time) VALUES (@Cluster, 0, 0)", new { Cluster });
        ClusterId = connection.ExecuteScalar<uint>("SELECT id FROM cluster WHERE name = @Cluster", new { Cluster });
    }

    public string Database { get; }
    public DatabaseLocator Locator { get; }
    public SettableClock Clock { get; }
    public RollupPeriods Periods { get; }
    public bool TrackWckey { get; }
    public uint ClusterId { get; }

    /// <summary>A rollup as one daemon has it; several over one database act as several daemons.</summary>
    public UsageRollup NewRollup(RollupStatistics? statistics = null) => new(
        Locator, new UsageRollupRepository(), Periods, statistics ?? new RollupStatistics(), new RollupOptions(TrackWckey), Clock, Errors);

    /// <summary>What the rollups logged as errors, for the assertion messages.</summary>
    public ErrorLog<UsageRollup> Errors { get; } = new();

    public RollupRewind Rewind => new(Periods, Clock);

    public MySqlConnection Open() => JobTableRows.Open(_services, Database);

    public void Registration(long start, long end, string tres, uint state = 0)
    {
        using var connection = Open();
        connection.Execute("INSERT INTO event (cluster_id, time_start, time_end, state, tres) VALUES (@ClusterId, @start, @end, @state, @tres)",
            new { ClusterId, start, end, state, tres });
    }

    public void NodeEvent(string node, long start, long end, uint state, string tres)
    {
        using var connection = Open();
        connection.Execute("""
            INSERT INTO event (cluster_id, node_name, time_start, time_end, state, tres, reason)
            VALUES (@ClusterId, @node, @start, @end, @state, @tres, 'test')
            """, new { ClusterId, node, start, end, state, tres });
    }

    public void Reservation(uint id, long start, long end, string tres, string nodes, string assocs, ulong flags = 0)
    {
        using var connection = Open();
        connection.Execute("""
            INSERT INTO resv (cluster_id, id_resv, resv_name, time_start, time_end, tres, nodelist, assoclist, flags)
            VALUES (@ClusterId, @id, @Name, @start, @end, @tres, @nodes, @assocs, @flags)
            """, new { ClusterId, id, Name = $"resv{id}", start, end, tres, nodes, assocs, flags });
    }

    private static uint _jobId;

    public ulong Job(uint assoc, long eligible, long start, long end, string tres, uint cpusReq = 0, uint resv = 0,
        uint arrayPending = 0, uint wckey = 0, long suspended = 0)
    {
        using var connection = Open();
        return connection.ExecuteScalar<ulong>("""
            INSERT INTO job (cluster_id, id_job, id_user, id_group, id_assoc, id_wckey, time_submit, time_eligible, time_start,
                time_end, tres_alloc, cpus_req, id_resv, array_task_pending, time_suspended)
            VALUES (@ClusterId, @JobId, 1000, 1000, @assoc, @wckey, @eligible, @eligible, @start, @end, @tres, @cpusReq, @resv,
                @arrayPending, @suspended);
            SELECT LAST_INSERT_ID()
            """, new { ClusterId, JobId = Interlocked.Increment(ref _jobId), assoc, wckey, eligible, start, end, tres, cpusReq, resv, arrayPending, suspended });
    }

    public void Suspend(ulong job, uint assoc, long start, long end)
    {
        using var connection = Open();
        connection.Execute("INSERT INTO suspend (job_db_inx, cluster_id, id_assoc, time_start, time_end) VALUES (@job, @ClusterId, @assoc, @start, @end)",
            new { job, ClusterId, assoc, start, end });
    }

    public sealed record ClusterRow(uint IdTres, ulong Count, ulong AllocSecs, ulong DownSecs, ulong PdownSecs, ulong IdleSecs, ulong OverSecs, ulong PlanSecs);

    public List<ClusterRow> ClusterRows(string granularity, long start)
    {
        using var connection = Open();
        return connection.Query<ClusterRow>($"""
            SELECT id_tres, `count`, alloc_secs, down_secs, pdown_secs, idle_secs, over_secs, plan_secs
            FROM cluster_usage_{granularity} WHERE cluster_id = @ClusterId AND time_start = @start ORDER BY id_tres
            """, new { ClusterId, start }).ToList();
    }

    public List<(uint Id, uint Tres, ulong Alloc)> IdRows(string table, long start)
    {
        string id = table.StartsWith("assoc") ? "id_assoc" : "id_wckey";
        using var connection = Open();
        return connection.Query<(uint, uint, ulong)>($"SELECT {id}, id_tres, alloc_secs FROM {table} WHERE cluster_id = @ClusterId AND time_start = @start ORDER BY {id}, id_tres",
            new { ClusterId, start }).ToList();
    }

    public (long Hourly, long Daily, long Monthly)? Marks()
    {
        using var connection = Open();
        return connection.QuerySingleOrDefault<(long, long, long)?>("SELECT hourly_rollup, daily_rollup, monthly_rollup FROM last_ran WHERE cluster_id = @ClusterId", new { ClusterId });
    }
}
