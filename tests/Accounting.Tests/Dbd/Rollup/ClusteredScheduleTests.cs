using Accounting.Tests.Support;
using Dapper;

namespace Accounting.Tests.Dbd.Rollup;

/// <summary>Two daemons on one database share one Quartz schedule (clustered AdoJobStore in that database).</summary>
[Collection(ServicesCollection.Name)]
public sealed class ClusteredScheduleTests(SharedServices services)
{
    [Fact]
    public async Task Two_daemons_on_one_database_keep_one_rollup_trigger_and_both_check_in_and_a_roll_on_each_keeps_one_row_per_period()
    {
        await using var first = await RunningDaemon.StartAsync(services, "auth/none");
        Assert.Equal(0, (await first.SacctmgrAsync("-i", "add", "cluster", "alpha")).ExitCode);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        long registered = now - now % 3600 - 48 * 3600;
        using (var connection = JobTableRows.Open(services, first.Database))
            connection.Execute("INSERT INTO event (cluster_id, time_start, tres) VALUES (@Alpha, @registered, '1=10')",
                new { Alpha = JobTableRows.ClusterId(connection, "alpha"), registered });

        // The second daemon's start-up pass and a roll on each run at once against the same marks.
        var secondStart = RunningDaemon.StartAsync(services, "auth/none", database: first.Database);
        var rollFirst = first.SacctmgrAsync("-i", "roll");
        await using var second = await secondStart;
        var rollSecond = second.SacctmgrAsync("-i", "roll");
        Assert.Equal(0, (await rollFirst).ExitCode);
        Assert.Equal(0, (await rollSecond).ExitCode);

        using var database = JobTableRows.Open(services, first.Database);
        Assert.Equal(["usage-rollup"], database.Query<string>("SELECT TRIGGER_NAME FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME NOT LIKE '%.%'"));
        Assert.Equal(["usage-rollup"], database.Query<string>("SELECT JOB_NAME FROM QRTZ_JOB_DETAILS"));
        Assert.Equal(2, database.ExecuteScalar<int>("SELECT COUNT(*) FROM QRTZ_SCHEDULER_STATE"));
        // Every hour from the registration to the last one ended, once, with the whole cluster idle.
        var hours = database.Query<(long Start, ulong Idle)>("SELECT time_start, idle_secs FROM cluster_usage_hour ORDER BY time_start").ToList();
        long lastEnded = (now - 10) - (now - 10) % 3600;
        Assert.Equal(Enumerable.Range(0, (int)((lastEnded - registered) / 3600)).Select(i => (registered + i * 3600L, 36_000ul)), hours);
    }
}
