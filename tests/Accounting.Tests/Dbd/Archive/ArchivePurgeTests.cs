using Accounting.Dbd.Archive;
using Accounting.Dbd.Configuration;
using Accounting.Dbd.Hosting;
using Accounting.Dbd.Rollup;
using Accounting.Dbd.Storage;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Dbd.Jobs;
using Accounting.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MySql.Data.MySqlClient;

namespace Accounting.Tests.Dbd.Archive;

/// <summary>
/// Purge and archive against the real schema: which rows each Purge*After removes (time column,
/// unit boundary, only ended records, only the named cluster), in bounded chunks, and that archive
/// files loaded back restore every archived column.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class ArchivePurgeTests(SharedServices services)
{
    private const int Chunk = 100;

    /// <summary>2026-06-15 12:34:56 UTC.</summary>
    private static readonly long Now = new DateTimeOffset(2026, 6, 15, 12, 34, 56, TimeSpan.Zero).ToUnixTimeSeconds();

    private static long Utc(int year, int month, int day, int hour = 0) =>
        new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    private static ArchivePurge PurgeOf(RunningDaemon daemon) => new(
        daemon.Services.GetRequiredService<DatabaseLocator>(), daemon.Services.GetRequiredService<StorageWorkers>(),
        daemon.Services.GetRequiredService<ClusterRepository>(),
        new ArchiveScriptRunner(PurgeTimeZone.Utc, NullLogger<ArchiveScriptRunner>.Instance), PurgeTimeZone.Utc,
        new PurgeOptions(Chunk), NullLogger<ArchivePurge>.Instance);

    private static uint Rule(int count, PurgeUnit unit, bool archive = false) =>
        new PurgeRule(new PurgePeriod(count, unit), archive).ToWire();

    /// <summary>
    /// Rows of every purgeable table of alpha, old ones up to and including each table's purge end, one
    /// second later ones that stay, unfinished ones that stay, and the same old rows for beta.
    /// </summary>
    private sealed record Ends(long Job, long Step, long Event, long Suspend, long Resv, long Txn, long Usage);

    private static readonly Ends PurgeEnds = new(
        Job: Utc(2026, 6, 13) - 1,        // 2 days: midnight of the 13th minus one second
        Step: Utc(2026, 6, 15, 9) - 1,    // 3 hours: 09:00 minus one second
        Event: Utc(2026, 5, 1) - 1,       // 1 month: the 1st of May minus one second
        Suspend: Utc(2026, 6, 14) - 1,    // 1 day
        Resv: Utc(2026, 6, 15, 11) - 1,   // 1 hour
        Txn: Utc(2026, 4, 1) - 1,         // 2 months
        Usage: Utc(2026, 3, 1) - 1);      // 3 months

    private static ArchiveCondition Condition(bool archive, string directory) => new()
    {
        ArchiveDir = directory,
        JobCondition = new JobCondition { ClusterList = ["alpha"] },
        PurgeJob = Rule(2, PurgeUnit.Days, archive),
        PurgeStep = Rule(3, PurgeUnit.Hours, archive),
        PurgeEvent = Rule(1, PurgeUnit.Months, archive),
        PurgeSuspend = Rule(1, PurgeUnit.Days, archive),
        PurgeResv = Rule(1, PurgeUnit.Hours, archive),
        PurgeTxn = Rule(2, PurgeUnit.Months, archive),
        PurgeUsage = Rule(3, PurgeUnit.Months, archive),
    };

    /// <summary>
    /// Old rows per table: jobs 1050 in the last day (11 chunks of at most 100) and two of 2025 (archived
    /// month by month), steps 250, others fewer.
    /// </summary>
    private static void Fill(MySqlConnection connection, uint cluster, Ends ends, bool withTxn)
    {
        var p = new { Cluster = cluster, Old1 = Utc(2025, 3, 10), Old2 = Utc(2025, 5, 20), ends.Job, ends.Step, ends.Event, ends.Suspend, ends.Resv, ends.Txn, ends.Usage };
        connection.Execute("""
            INSERT INTO job (cluster_id, id_job, id_user, id_group, time_submit, time_start, time_end)
              SELECT @Cluster, seq, 1000, 1000, @Job - seq + 1, @Job - seq + 2, @Job + 5000 FROM seq_1_to_1050;
            INSERT INTO job (cluster_id, id_job, id_user, id_group, time_submit, time_start, time_end)
              SELECT @Cluster, 100000 + seq, 1000, 1000, @Job + seq, @Job + seq, @Job + 9000 FROM seq_1_to_5;
            INSERT INTO job (cluster_id, id_job, id_user, id_group, time_submit, time_start, time_end)
              VALUES (@Cluster, 300001, 1000, 1000, @Old1, @Old1, @Old1 + 60), (@Cluster, 300002, 1000, 1000, @Old2, @Old2, @Old2 + 60);
            INSERT INTO job (cluster_id, id_job, id_user, id_group, time_submit, time_start, time_end)
              SELECT @Cluster, 200000 + seq, 1000, 1000, @Job - 100, @Job - 50, 0 FROM seq_1_to_3;
            INSERT INTO step (job_db_inx, cluster_id, id_step, time_start, time_end)
              SELECT @Cluster * 1000000 + seq, @Cluster, 0, @Step - seq + 1, @Step + 10 FROM seq_1_to_250;
            INSERT INTO step (job_db_inx, cluster_id, id_step, time_start, time_end)
              VALUES (@Cluster * 1000000 + 1000, @Cluster, 0, @Step + 1, @Step + 10), (@Cluster * 1000000 + 1001, @Cluster, 0, @Step - 10, 0);
            INSERT INTO event (cluster_id, node_name, time_start, time_end, reason, state, tres)
              SELECT @Cluster, CONCAT('n', seq), @Event - seq + 1, @Event + 1, 'down', 1, '1=2' FROM seq_1_to_120;
            INSERT INTO event (cluster_id, node_name, time_start, time_end) VALUES (@Cluster, 'late', @Event + 1, @Event + 2),
              (@Cluster, 'open', @Event - 5, 0);
            INSERT INTO suspend (job_db_inx, cluster_id, id_assoc, time_start, time_end)
              SELECT @Cluster * 1000000 + seq, @Cluster, 3, @Suspend - seq + 1, @Suspend + 1 FROM seq_1_to_30;
            INSERT INTO suspend (job_db_inx, cluster_id, id_assoc, time_start, time_end) VALUES (@Cluster * 1000000 + 1000, @Cluster, 3, @Suspend + 1, @Suspend + 2);
            INSERT INTO resv (cluster_id, id_resv, resv_name, time_start, time_end, unused_wall)
              SELECT @Cluster, seq, CONCAT('r', seq), @Resv - seq + 1, @Resv + 1, seq / 4 FROM seq_1_to_7;
            INSERT INTO resv (cluster_id, id_resv, resv_name, time_start, time_end) VALUES (@Cluster, 50, 'later', @Resv + 1, @Resv + 2);
            INSERT INTO assoc_usage_hour (cluster_id, id_assoc, time_start, id_tres, creation_time, alloc_secs)
              SELECT @Cluster, 2, @Usage - 3600 * seq + 1, 1, @Usage, seq * 60 FROM seq_1_to_205;
            INSERT INTO assoc_usage_hour (cluster_id, id_assoc, time_start, id_tres, creation_time) VALUES (@Cluster, 2, @Usage + 1, 1, @Usage);
            INSERT INTO cluster_usage_day (cluster_id, time_start, id_tres, creation_time, `count`, alloc_secs, idle_secs)
              SELECT @Cluster, @Usage - 86400 * seq + 1, 1, @Usage, 2, 100, 72000 FROM seq_1_to_12;
            """, p);
        if (withTxn)
            connection.Execute("""
                INSERT INTO txn (`timestamp`, action, name, actor, cluster, info)
                  SELECT @Txn - seq + 1, 1405, CONCAT('u', seq), 'root', 'alpha', NULL FROM seq_1_to_140;
                INSERT INTO txn (`timestamp`, action, name, actor, cluster, info) VALUES (@Txn + 1, 1405, 'later', 'root', 'alpha', 'x'),
                  (@Txn - 1, 1405, 'other cluster', 'root', 'beta', 'x');
                """, p);
    }

    private static Dictionary<string, long> Counts(MySqlConnection connection, uint cluster) =>
        new[] { "job", "step", "event", "suspend", "resv", "assoc_usage_hour", "cluster_usage_day" }
            .ToDictionary(table => table, table => connection.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table} WHERE cluster_id = @cluster", new { cluster }));

    [Fact]
    public async Task Each_purge_removes_exactly_the_old_ended_rows_of_the_cluster_in_bounded_chunks()
    {
        await using var daemon = await RunningDaemon.StartAsync(services);
        await CapturedJobs.PrepareAsync(daemon, services, munge: true, withJobs: false);
        using var connection = JobTableRows.Open(services, daemon.Database);
        uint alpha = JobTableRows.ClusterId(connection, "alpha"), beta = JobTableRows.ClusterId(connection, "beta");
        Fill(connection, alpha, PurgeEnds, withTxn: true);
        Fill(connection, beta, PurgeEnds, withTxn: false);
        long txnBefore = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM txn");

        var outcome = await PurgeOf(daemon).RunAsync(Condition(archive: false, "/nonexistent"), Now);

        Assert.Equal(SlurmError.Success, outcome.ReturnCode);
        Assert.All(outcome.Chunks, chunk => Assert.InRange(chunk.Deleted, 1, Chunk));
        Assert.Equal([1, 1, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 50],
            outcome.Chunks.Where(chunk => chunk.Table == ArchiveTable.Jobs).Select(chunk => chunk.Deleted));
        Assert.Equal([100, 100, 50], outcome.Chunks.Where(chunk => chunk.Table == ArchiveTable.Steps).Select(chunk => chunk.Deleted));
        Assert.All(outcome.Chunks, chunk => Assert.Null(chunk.File));
        var removed = outcome.Chunks.GroupBy(chunk => chunk.Table.Table).ToDictionary(group => group.Key, group => group.Sum(chunk => chunk.Deleted));
        Assert.Equal(new Dictionary<string, int>
        {
            ["job"] = 1052, ["step"] = 250, ["event"] = 120, ["suspend"] = 30, ["resv"] = 7, ["txn"] = 140,
            ["assoc_usage_hour"] = 205, ["cluster_usage_day"] = 12,
        }, removed);

        // What stays: the second after each end, unfinished records, and all of beta.
        Assert.Equal(new Dictionary<string, long>
        {
            ["job"] = 5 + 3, ["step"] = 2, ["event"] = 2, ["suspend"] = 1, ["resv"] = 1, ["assoc_usage_hour"] = 1, ["cluster_usage_day"] = 0,
        }, Counts(connection, alpha));
        Assert.Equal(new Dictionary<string, long>
        {
            ["job"] = 1060, ["step"] = 252, ["event"] = 122, ["suspend"] = 31, ["resv"] = 8, ["assoc_usage_hour"] = 206, ["cluster_usage_day"] = 12,
        }, Counts(connection, beta));
        Assert.Equal(txnBefore - 140, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM txn"));
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM job WHERE cluster_id = @alpha AND time_submit <= @end AND time_end <> 0",
            new { alpha, end = PurgeEnds.Job }));

        // A second run finds nothing left to remove.
        var again = await PurgeOf(daemon).RunAsync(Condition(archive: false, "/nonexistent"), Now);
        Assert.Equal(SlurmError.Success, again.ReturnCode);
        Assert.Empty(again.Chunks);
    }

    /// <summary>The archived columns of every table, in key order, as text: equal before the purge and after the load.</summary>
    private static List<string> Snapshot(MySqlConnection connection, uint cluster)
    {
        var lines = new List<string>();
        foreach (var table in ArchiveTable.InPurgeOrder.Where(table => table.Period == 0 || table.Table.EndsWith("_day")))
        {
            string columns = string.Join(", ", table.Kind.Fields.Select(field => $"COALESCE(`{table.Column(field)}`, '<null>')"));
            string where = table.ByClusterName ? "cluster = 'alpha'" : "cluster_id = @cluster";
            lines.AddRange(connection.Query<string>($"SELECT CONCAT_WS('|', '{table.Table}', {columns}) FROM {table.Table} WHERE {where} ORDER BY {table.OrderBy}",
                new { cluster }));
        }
        // Sorted: reloaded events get new surrogate ids, so their order among equal start times may change.
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    [Fact]
    public async Task Archive_files_hold_every_purged_row_and_loading_them_restores_the_tables()
    {
        await using var daemon = await RunningDaemon.StartAsync(services);
        await CapturedJobs.PrepareAsync(daemon, services, munge: true, withJobs: false);
        using var connection = JobTableRows.Open(services, daemon.Database);
        uint alpha = JobTableRows.ClusterId(connection, "alpha");
        foreach (var job in CapturedJobs.MovedTo(Utc(2025, 1, 10)))
            JobTableRows.Insert(connection, alpha, job);
        Fill(connection, alpha, PurgeEnds, withTxn: true);
        var before = Snapshot(connection, alpha);
        using var directory = new TemporaryDirectory("archive");

        var outcome = await PurgeOf(daemon).RunAsync(Condition(archive: true, directory.Path), Now);

        Assert.Equal(SlurmError.Success, outcome.ReturnCode);
        Assert.All(outcome.Chunks, chunk => Assert.True(File.Exists(chunk.File), chunk.File));
        Assert.Equal(outcome.Chunks.Count, Directory.GetFiles(directory.Path).Length);
        // Jobs of 2025 are more than 60 days old: archived month by month (MAX_ARCHIVE_AGE), up to the next 1st.
        var jobFiles = outcome.Chunks.Where(chunk => chunk.Table == ArchiveTable.Jobs).Select(chunk => Path.GetFileName(chunk.File!)).ToList();
        Assert.Equal(["alpha_job_table_archive_2025-01-01T00:00:00_2025-02-01T00:00:00", "alpha_job_table_archive_2025-03-01T00:00:00_2025-04-01T00:00:00",
            "alpha_job_table_archive_2025-05-01T00:00:00_2025-06-01T00:00:00"], jobFiles.Take(3));
        // Recent data in chunks of the rule's unit, one file per chunk: the start cut to the day, ".2" on for a taken name.
        Assert.Contains("alpha_job_table_archive_2026-06-12T00:00:00_2026-06-12T23:59:59", jobFiles);
        Assert.Contains("alpha_job_table_archive_2026-06-12T00:00:00_2026-06-12T23:59:59.2", jobFiles);
        Assert.Contains("alpha_job_table_archive_2026-06-12T00:00:00_2026-06-12T23:59:59.11", jobFiles);
        Assert.Contains("alpha_step_table_archive_2026-06-15T08:00:00_2026-06-15T08:59:59", outcome.Chunks.Select(chunk => Path.GetFileName(chunk.File!)));
        Assert.NotEqual(before, Snapshot(connection, alpha));

        var loader = new ArchiveLoader(daemon.Services.GetRequiredService<ClusterRepository>(), NullLogger<ArchiveLoader>.Instance);
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var chunk in outcome.Chunks)
            {
                var (rc, file) = loader.Read(chunk.File!);
                Assert.Equal(SlurmError.Success, rc);
                Assert.Equal(chunk.Deleted, file!.Rows.Count);
                Assert.Equal(SlurmError.Success, loader.Load(new SqlScope(connection, transaction), file));
            }
            transaction.Commit();
        }
        Assert.Equal(before, Snapshot(connection, alpha));

        // The same file again collides with the rows it restored: refused, and nothing of it stays.
        using (var transaction = connection.BeginTransaction())
        {
            var (_, file) = loader.Read(outcome.Chunks.First(chunk => chunk.Table == ArchiveTable.Jobs).File!);
            Assert.Equal(SlurmError.Error, loader.Load(new SqlScope(connection, transaction), file!));
            transaction.Commit();
        }
        Assert.Equal(before, Snapshot(connection, alpha));
    }

    /// <summary>
    /// After a rollup pass only the units whose rollup advanced purge, cluster by cluster, with the
    /// settings of slurmdbd.conf; a failed pass purges nothing.
    /// </summary>
    [Fact]
    public async Task After_a_rollup_the_purges_of_the_units_it_rolled_up_run()
    {
        await using var daemon = await RunningDaemon.StartAsync(services);
        await CapturedJobs.PrepareAsync(daemon, services, munge: true, withJobs: false);
        using var connection = JobTableRows.Open(services, daemon.Database);
        uint alpha = JobTableRows.ClusterId(connection, "alpha"), beta = JobTableRows.ClusterId(connection, "beta");
        Fill(connection, alpha, PurgeEnds, withTxn: false);
        Fill(connection, beta, PurgeEnds, withTxn: false);
        var conf = new DbdConfig { PurgeStepAfter = new PurgePeriod(3, PurgeUnit.Hours), PurgeJobAfter = new PurgePeriod(2, PurgeUnit.Days) };
        var runner = new PurgeRunner(PurgeOf(daemon), new ConfigHolder(conf, "slurmdbd.conf", 0), NullLogger<PurgeRunner>.Instance);
        static ClusterRollupTimes Rolled(string cluster, int hours, int days) => new(cluster, new long[3], new long[3], [hours, days, 0]);
        long Count(string table, uint cluster) => connection.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table} WHERE cluster_id = @cluster", new { cluster });

        await runner.AfterRollupAsync(new RollupPass(false, [Rolled("alpha", 1, 1)]), Now);
        Assert.Equal((252, 1060), (Count("step", alpha), Count("job", alpha)));

        await runner.AfterRollupAsync(new RollupPass(true, [Rolled("alpha", 1, 0), Rolled("beta", 0, 0)]), Now);
        Assert.Equal((2, 1060), (Count("step", alpha), Count("job", alpha)));
        Assert.Equal((252, 1060), (Count("step", beta), Count("job", beta)));

        await runner.AfterRollupAsync(new RollupPass(true, [Rolled("alpha", 0, 1), Rolled("beta", 1, 1)]), Now);
        Assert.Equal((2, 8), (Count("step", alpha), Count("job", alpha)));
        Assert.Equal((2, 8), (Count("step", beta), Count("job", beta)));
        Assert.Equal(122, Count("event", alpha));
    }
}
