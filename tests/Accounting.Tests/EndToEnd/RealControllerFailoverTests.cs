using Accounting.Dbd.Spool;
using Accounting.Dbd.Storage;
using Accounting.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Accounting.Tests.EndToEnd;

/// <summary>
/// Issue 6 test c with a real slurmctld and slurmd, our daemon on a MariaDB primary and its GTID replica
/// (StorageHost + StorageBackupHost): the primary is killed while jobs keep coming; the daemon moves to the
/// replica, sacct reads from it, the controller's records are spooled (the replica is read-only) and its
/// agent queue stays empty; after promote.sql the spool is replayed and every job is in sacct once; the old
/// primary, started again, is not written to.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class RealControllerFailoverTests(SharedServices services, ITestOutputHelper output)
{
    private static List<uint> JobIds(MariaDbServer server, RunningDaemon daemon)
    {
        using var connection = ReplicatedMariaDb.Open(server, daemon.Database);
        return connection.Query<uint>("SELECT id_job FROM job ORDER BY id_job").ToList();
    }

    private static int FinishedJobs(MariaDbServer server, RunningDaemon daemon)
    {
        using var connection = ReplicatedMariaDb.Open(server, daemon.Database);
        return connection.ExecuteScalar<int>("SELECT COUNT(*) FROM job WHERE time_end > 0 AND state = 3 AND `partition` = 'debug'");
    }

    private static string BinlogPosition(MariaDbServer server)
    {
        using var connection = ReplicatedMariaDb.Open(server);
        return connection.ExecuteScalar<string>("SELECT @@global.gtid_binlog_pos") ?? "";
    }

    private static async Task<string[]> SacctAsync(RealSlurmCluster cluster)
    {
        var sacct = await cluster.RunAsync("/usr/bin/sacct", "-a", "-X", "-n", "-P", "-o", "JobID,State", "-S", "2020-01-01");
        Assert.True(sacct.ExitCode == 0, sacct.Combined);
        return sacct.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).OrderBy(line => uint.Parse(line.Split('|')[0])).ToArray();
    }

    private static IEnumerable<string> Completed(IEnumerable<uint> jobs) => jobs.Order().Select(id => $"{id}|COMPLETED");

    private static async Task IdleAsync(RealSlurmCluster cluster)
    {
        await Eventually.TrueAsync(async () => (await cluster.RunAsync("/usr/bin/squeue", "-h")).StandardOutput.Trim().Length == 0,
            "all jobs ran", TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () => RealSlurmCluster.AgentQueueSize((await cluster.RunAsync("/usr/bin/sdiag")).StandardOutput) == 0,
            "the agent queue drained", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Killing_the_primary_under_a_real_controller_spools_until_promotion_then_every_job_is_in_sacct_once()
    {
        await using var servers = await ReplicatedMariaDb.StartAsync();
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/munge", $"""
            StorageHost=127.0.0.1:{servers.Primary.Port}
            StorageBackupHost=127.0.0.1:{servers.Replica.Port}
            StorageParameters=CONNECT_TIMEOUT=2,COMMAND_TIMEOUT=10
            """);
        await using var cluster = await RealSlurmCluster.StartAsync(daemon, services);
        var locator = daemon.Services.GetRequiredService<DatabaseLocator>();
        var spool = daemon.Services.GetRequiredService<MessageSpool>();
        var jobs = new List<uint>();
        try
        {
            for (int i = 0; i < 3; i++)
                jobs.Add(await cluster.SubmitAsync("true"));
            await Eventually.TrueAsync(() => Task.FromResult(FinishedJobs(servers.Primary, daemon) == 3), "the first three jobs stored");
            await IdleAsync(cluster);
            await ReplicatedMariaDb.CatchUpAsync(servers.Primary, servers.Replica);
            var onPrimaryBeforeTheKill = JobIds(servers.Primary, daemon);
            Assert.Equal(jobs.Order(), onPrimaryBeforeTheKill);

            await servers.Primary.KillAsync();
            // Jobs keep coming from the kill until after the promotion.
            using var stop = new CancellationTokenSource();
            var streamed = new List<uint>();
            var producer = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    uint job = await cluster.SubmitAsync("true");
                    lock (streamed)
                        streamed.Add(job);
                    await Task.Delay(500);
                }
            });
            await Eventually.TrueAsync(() => Task.FromResult(!locator.Current.IsPrimary), "the daemon uses the replica");
            await Eventually.TrueAsync(() => Task.FromResult(spool.Depth > 0), "controller records spooled");
            await Task.Delay(3000);

            // Read-only phase: sacct answers from the replica, which holds what was stored before the kill
            // and nothing since; slurmctld's own queue does not fill (records are acknowledged from the spool).
            int jobsSoFar;
            lock (streamed)
                jobsSoFar = jobs.Count + streamed.Count;
            Assert.Equal(Completed(onPrimaryBeforeTheKill), await SacctAsync(cluster));
            Assert.Equal(onPrimaryBeforeTheKill, JobIds(servers.Replica, daemon));
            Assert.Equal(0, RealSlurmCluster.AgentQueueSize((await cluster.RunAsync("/usr/bin/sdiag")).StandardOutput));
            long spooled = spool.Depth;
            Assert.True(spooled > 0);

            await servers.PromoteReplicaAsync();
            await Eventually.TrueAsync(() => Task.FromResult(spool.Depth == 0), "the spool replayed into the promoted replica");
            await Task.Delay(2000);
            stop.Cancel();
            await producer;
            jobs.AddRange(streamed);
            await IdleAsync(cluster);
            await Eventually.TrueAsync(() => Task.FromResult(FinishedJobs(servers.Replica, daemon) == jobs.Count),
                $"all {jobs.Count} jobs stored on the promoted replica");
            Assert.Equal(Completed(jobs), await SacctAsync(cluster));
            output.WriteLine($"{jobsSoFar} jobs submitted by the read-only phase, {spooled} records spooled then, {jobs.Count} before the old primary returned");

            // The old primary returns, stale and writable: what the controller sends now goes to the replica.
            await servers.Primary.StartAsync();
            string returnedAt = BinlogPosition(servers.Primary);
            for (int i = 0; i < 2; i++)
                jobs.Add(await cluster.SubmitAsync("true"));
            await IdleAsync(cluster);
            await Eventually.TrueAsync(() => Task.FromResult(FinishedJobs(servers.Replica, daemon) == jobs.Count),
                $"all {jobs.Count} jobs stored on the promoted replica");
            Assert.Equal(0, spool.Depth);
            Assert.False(locator.Current.IsPrimary);
            Assert.Equal(Completed(jobs), await SacctAsync(cluster));
            Assert.Equal(jobs.Order(), JobIds(servers.Replica, daemon));
            Assert.Equal(onPrimaryBeforeTheKill, JobIds(servers.Primary, daemon));
            // Nor anything else: no transaction at all has been logged on it since it came back.
            Assert.Equal(returnedAt, BinlogPosition(servers.Primary));
            output.WriteLine($"{jobs.Count} jobs in all; {onPrimaryBeforeTheKill.Count} on the old primary before the kill and after its return");
        }
        catch
        {
            output.WriteLine(cluster.Logs());
            output.WriteLine(daemon.Log());
            throw;
        }
    }
}
