using Accounting.Dbd.Spool;
using Accounting.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Accounting.Tests.EndToEnd;

/// <summary>
/// A real slurmctld runs batch jobs while our daemon's database is stopped: the daemon spools and
/// acknowledges, so the controller's own queue ("DBD Agent queue size" in sdiag) stays near zero instead of
/// filling towards MaxDBDMsgs; once the database is back, sacct shows every job.
/// </summary>
public sealed class RealControllerOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly SharedServices _services = new();

    public Task InitializeAsync() => _services.InitializeAsync();

    public Task DisposeAsync() => _services.DisposeAsync();

    [Fact]
    public async Task Jobs_run_while_the_database_is_down_keep_the_agent_queue_empty_and_are_all_in_sacct_afterwards()
    {
        await using var daemon = await RunningDaemon.StartAsync(_services, "auth/munge", "StorageParameters=CONNECT_TIMEOUT=2,COMMAND_TIMEOUT=5");
        await using var cluster = await RealSlurmCluster.StartAsync(daemon, _services);
        var spool = daemon.Services.GetRequiredService<MessageSpool>();
        try
        {
            var jobs = new List<uint> { await cluster.SubmitAsync("true"), await cluster.SubmitAsync("true") };
            await Eventually.TrueAsync(() => Task.FromResult(FinishedJobs(daemon) == 2), "the first two jobs stored");

            await _services.MariaDb.KillAsync();
            for (int i = 0; i < 10; i++)
                jobs.Add(await cluster.SubmitAsync("true"));
            int largestQueue = 0;
            await Eventually.TrueAsync(async () =>
            {
                largestQueue = Math.Max(largestQueue, RealSlurmCluster.AgentQueueSize((await cluster.RunAsync("/usr/bin/sdiag")).StandardOutput) ?? int.MaxValue);
                return (await cluster.RunAsync("/usr/bin/squeue", "-h")).StandardOutput.Trim().Length == 0;
            }, "all jobs ran", TimeSpan.FromSeconds(60));
            // Job starts come from slurmctld's db_index thread every few seconds: give them the time to be sent.
            for (int i = 0; i < 8; i++)
            {
                await Task.Delay(1000);
                largestQueue = Math.Max(largestQueue, RealSlurmCluster.AgentQueueSize((await cluster.RunAsync("/usr/bin/sdiag")).StandardOutput) ?? int.MaxValue);
            }
            long spooled = spool.Depth;
            int queueAtEnd = RealSlurmCluster.AgentQueueSize((await cluster.RunAsync("/usr/bin/sdiag")).StandardOutput) ?? int.MaxValue;
            output.WriteLine($"while down: {spooled} records spooled, largest DBD agent queue {largestQueue}, at the end {queueAtEnd}");
            // Messages wait in the queue only until the agent's next send (a job's end queues a few at once);
            // against a slurmdbd without its database they would all stay there.
            Assert.True(spooled > 0);
            Assert.Equal(0, queueAtEnd);
            Assert.True(largestQueue < spooled, $"largest agent queue {largestQueue}, spooled {spooled}");

            await _services.MariaDb.StartAsync();
            await Eventually.TrueAsync(() => Task.FromResult(spool.Depth == 0), "spool replayed", TimeSpan.FromSeconds(60));
            await Eventually.TrueAsync(() => Task.FromResult(FinishedJobs(daemon) == 12), "all twelve jobs stored with their starts", TimeSpan.FromSeconds(60));

            var sacct = await cluster.RunAsync("/usr/bin/sacct", "-a", "-X", "-n", "-P", "-o", "JobID,State");
            Assert.True(sacct.ExitCode == 0, sacct.Combined);
            Assert.Equal(jobs.Select(id => $"{id}|COMPLETED"), sacct.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            using var database = _services.MariaDb.Connect(daemon.Database);
            Assert.Equal(12, database.ExecuteScalar<int>("SELECT COUNT(*) FROM step WHERE id_step = -5 AND time_end > 0"));
        }
        catch
        {
            output.WriteLine(cluster.Logs());
            output.WriteLine(daemon.Log());
            throw;
        }
    }

    /// <summary>On a new connection each time: the server is stopped and started in between.</summary>
    private int FinishedJobs(RunningDaemon daemon)
    {
        using var database = _services.MariaDb.Connect(daemon.Database);
        return database.ExecuteScalar<int>("SELECT COUNT(*) FROM job WHERE time_end > 0 AND state = 3 AND `partition` = 'debug'");
    }
}
