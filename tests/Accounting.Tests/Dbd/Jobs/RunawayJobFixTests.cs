using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;
using Dapper;

namespace Accounting.Tests.Dbd.Jobs;

/// <summary>DBD_FIX_RUNAWAY_JOB (wire spec §9.11a; as_mysql_fix_runaway_jobs) on rows written into the job table.</summary>
[Collection(ServicesCollection.Name)]
public sealed class RunawayJobFixTests(SharedServices services)
{
    private const long T0 = 1_780_000_000;

    private static JobRecord Job(uint id, long submit, long eligible, long start, long end = 0) => new()
    {
        JobId = id, Cluster = "alpha", Submit = submit, Eligible = eligible, Start = start, End = end, State = end == 0 ? 1u : 5u,
        JobName = "job", Partition = "debug", Nodes = "localhost", AllocNodes = 1,
    };

    private static ListMessage<JobRecord> Fix(params JobRecord[] jobs) => new(DbdMessageType.FixRunawayJob, [.. jobs]);

    private async Task<RunningDaemon> StartAsync(params JobRecord[] jobs)
    {
        var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await CapturedJobs.PrepareAsync(daemon, services, munge: false, withJobs: false);
        using var connection = JobTableRows.Open(services, daemon.Database);
        uint alpha = JobTableRows.ClusterId(connection, "alpha");
        foreach (var job in jobs)
            JobTableRows.Insert(connection, alpha, job);
        return daemon;
    }

    private static async Task<DbdClient> ConnectAsync(RunningDaemon daemon, uint uid = 0)
    {
        var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit(uid))).ReturnCode);
        return client;
    }

    private List<(uint Id, long Submit, uint State, long End)> Rows(RunningDaemon daemon)
    {
        using var connection = JobTableRows.Open(services, daemon.Database);
        return connection.Query<(uint, long, uint, long)>("SELECT id_job, time_submit, state, time_end FROM job ORDER BY id_job, time_submit").ToList();
    }

    [Fact]
    public async Task Open_rows_of_the_listed_ids_end_complete_at_the_latest_of_start_eligible_and_submit_once_committed()
    {
        await using var daemon = await StartAsync(
            Job(10, T0, T0 + 5, T0 + 20),
            Job(11, T0, T0 + 50, T0 + 20),
            Job(12, T0 + 100, T0 + 100, 0),
            Job(12, T0, T0, T0 + 1, end: T0 + 30),
            Job(13, T0, T0, T0 + 7));
        await using (var client = await ConnectAsync(daemon))
        {
            Assert.Equal(PersistRc.Ok(DbdMessageType.FixRunawayJob),
                await client.RequestAsync(Fix(Job(11, T0, 0, 0), Job(10, T0, 0, 0), Job(12, T0 + 100, 0, 0))));
            // Not visible to others until sacctmgr commits.
            Assert.All(Rows(daemon).Where(row => row.Id != 12 || row.Submit == T0 + 100), row => Assert.Equal(0, row.End));
            Assert.Equal(PersistRc.Ok(DbdMessageType.Fini), await client.RequestAsync(new FiniMessage(0, 1)));
        }
        Assert.Equal([(10u, T0, 3u, T0 + 20), (11u, T0, 3u, T0 + 50), (12u, T0, 5u, T0 + 30), (12u, T0 + 100, 3u, T0 + 100), (13u, T0, 1u, 0L)],
            Rows(daemon));
    }

    /// <summary>
    /// _first_job_roll_up: the marks go to local midnight of the last day of the month before the earliest
    /// submit (T0 is late May 2026, so 30 April), and association and wckey usage from then on is deleted.
    /// </summary>
    [Fact]
    public async Task The_rollup_restarts_from_the_end_of_the_month_before_the_first_runaway_submit()
    {
        await using var daemon = await StartAsync(Job(10, T0, T0, T0 + 20), Job(11, T0 - 100, T0 - 100, T0 - 90));
        var april30 = new DateTime(2026, 4, 30);
        long restart = new DateTimeOffset(april30, TimeZoneInfo.Local.GetUtcOffset(april30)).ToUnixTimeSeconds();
        using (var connection = JobTableRows.Open(services, daemon.Database))
        {
            uint alpha = JobTableRows.ClusterId(connection, "alpha");
            connection.Execute("INSERT INTO last_ran VALUES (@Alpha, @T0, @T0, @T0)", new { Alpha = alpha, T0 });
            foreach (string table in new[] { "assoc_usage_hour", "assoc_usage_day", "wckey_usage_month" })
                connection.Execute($"INSERT INTO {table} VALUES (@Alpha, 2, @Before, 1, 0, 0, 0, 60), (@Alpha, 2, @Restart, 1, 0, 0, 0, 60)",
                    new { Alpha = alpha, Before = restart - 3600, Restart = restart });
        }
        await using (var client = await ConnectAsync(daemon))
        {
            Assert.Equal(PersistRc.Ok(DbdMessageType.FixRunawayJob), await client.RequestAsync(Fix(Job(10, T0, 0, 0), Job(11, T0 - 100, 0, 0))));
            Assert.Equal(PersistRc.Ok(DbdMessageType.Fini), await client.RequestAsync(new FiniMessage(0, 1)));
        }
        using var database = JobTableRows.Open(services, daemon.Database);
        Assert.Equal((restart, restart, restart), database.QuerySingle<(long, long, long)>("SELECT hourly_rollup, daily_rollup, monthly_rollup FROM last_ran"));
        foreach (string table in new[] { "assoc_usage_hour", "assoc_usage_day", "wckey_usage_month" })
            Assert.Equal([restart - 3600], database.Query<long>($"SELECT time_start FROM {table}"));
    }

    [Fact]
    public async Task A_discarded_fix_leaves_the_rows_open()
    {
        await using var daemon = await StartAsync(Job(10, T0, T0, T0 + 20));
        await using (var client = await ConnectAsync(daemon))
        {
            Assert.Equal(PersistRc.Ok(DbdMessageType.FixRunawayJob), await client.RequestAsync(Fix(Job(10, T0, 0, 0))));
            Assert.Equal(PersistRc.Ok(DbdMessageType.Fini), await client.RequestAsync(new FiniMessage(0, 0)));
        }
        Assert.Equal([(10u, T0, 1u, 0L)], Rows(daemon));
    }

    [Fact]
    public async Task Users_below_operator_are_refused_and_bad_lists_fail_without_a_comment()
    {
        await using var daemon = await StartAsync(Job(10, T0, T0, T0 + 20));
        await using (var user = await ConnectAsync(daemon, uid: 4242))
            Assert.Equal(PersistRc.Failure(DbdMessageType.FixRunawayJob, SlurmError.AccessDenied, "You must have an AdminLevel>=Operator to fix runaway jobs"),
                await user.RequestAsync(Fix(Job(10, T0, 0, 0))));
        await using (var root = await ConnectAsync(daemon))
        {
            var failed = PersistRc.Failure(DbdMessageType.FixRunawayJob, SlurmError.Error, null);
            Assert.Equal(failed, await root.RequestAsync(Fix()));
            Assert.Equal(failed, await root.RequestAsync(Fix(Job(10, 0, 0, 0))));
            Assert.Equal(failed, await root.RequestAsync(Fix(Job(10, T0, 0, 0), Job(11, T0 + 1, 0, 0) with { Cluster = "beta" })));
            Assert.Equal(failed, await root.RequestAsync(Fix(Job(10, T0, 0, 0) with { Cluster = "nosuch" })));
            Assert.Equal(PersistRc.Ok(DbdMessageType.Fini), await root.RequestAsync(new FiniMessage(0, 1)));
        }
        Assert.Equal([(10u, T0, 1u, 0L)], Rows(daemon));
    }
}
