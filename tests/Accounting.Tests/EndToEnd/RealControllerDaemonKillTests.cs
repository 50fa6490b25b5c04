using Accounting.Dbd.Spool;
using Accounting.Tests.Support;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Accounting.Tests.EndToEnd;

/// <summary>
/// Issue 6 test b with a real slurmctld and slurmd: a steady stream of short batch and srun jobs while the
/// database is stopped, our daemon (a process of its own) SIGKILLed again and again while it spools and
/// while it replays (inside a replay transaction, held open by locks on the job table, and once after),
/// restarted each time on the same port and spool directory. slurmctld re-sends what was
/// not acknowledged; at the end every job it accepted is in sacct exactly once, completed, with one row in
/// the job table and its step stored once, and its DBD agent queue is empty.
/// </summary>
public sealed class RealControllerDaemonKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int SpoolingKills = 3;
    private const int ReplayKills = 3;

    private readonly SharedServices _services = new();
    private readonly TemporaryDirectory _directory = new("ctldkill");
    private readonly int _port = FreePort.Next();
    private string _database = "";
    private DaemonProcess? _daemon;

    public async Task InitializeAsync()
    {
        await _services.InitializeAsync();
        _database = _services.MariaDb.NewDatabaseName();
    }

    public async Task DisposeAsync()
    {
        _daemon?.Dispose();
        await _services.DisposeAsync();
        _directory.Dispose();
    }

    private string SpoolDirectory => DaemonProcess.SpoolDirectoryIn(_directory);

    private long SpooledBytes() => DaemonProcess.SpooledBytes(SpoolDirectory);

    /// <summary>On a new connection each time: the server is stopped and started in between.</summary>
    private int FinishedJobs()
    {
        using var database = _services.MariaDb.Connect(_database);
        return database.ExecuteScalar<int>("SELECT COUNT(*) FROM job WHERE time_end > 0 AND state = 3 AND `partition` = 'debug'");
    }

    /// <summary>A transaction of the daemon's waits for a lock the test holds (the test's own does not wait).</summary>
    private bool ReplayWaitsForTheLock()
    {
        using var database = _services.MariaDb.Connect(_database);
        return database.ExecuteScalar<int>("SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'") > 0;
    }

    [Fact]
    public async Task Killed_while_a_real_controller_spools_and_replays_every_accepted_job_is_in_sacct_once()
    {
        var daemon = _daemon = DaemonProcess.Spooling(_directory, _port, _services, _database,
            $"AuthType=auth/munge\nAuthInfo=socket={_services.Munge.Socket}\nMessageTimeout=5");
        await daemon.StartAsync();
        await using var cluster = await RealSlurmCluster.StartAsync(_port, _services);
        var batchJobs = new List<uint>();
        var srunJobs = new List<uint>();
        // The producer adds to both lists while the test takes a look at them.
        var submitted = new Lock();
        try
        {
            batchJobs.Add(await cluster.SubmitAsync("true"));
            batchJobs.Add(await cluster.SubmitAsync("true"));
            await Eventually.TrueAsync(() => Task.FromResult(FinishedJobs() == 2), "the first two jobs stored");

            await _services.MariaDb.KillAsync();
            using var stop = new CancellationTokenSource();
            var producer = Task.Run(async () =>
            {
                for (int i = 1; !stop.IsCancellationRequested; i++)
                {
                    if (i % 4 == 0)
                    {
                        uint job = await SrunAsync(cluster);
                        lock (submitted)
                            srunJobs.Add(job);
                    }
                    else
                    {
                        uint job = await cluster.SubmitAsync("true");
                        lock (submitted)
                            batchJobs.Add(job);
                    }
                    await Task.Delay(200);
                }
            });

            // After a failed send slurmctld waits 10 s before it reconnects (slurmdbd_agent.c): each kill comes
            // once the restarted daemon has spooled more of what the controller re-sends and sends anew.
            var random = new Random(6);
            for (int kill = 0; kill < SpoolingKills; kill++)
            {
                long before = SpooledBytes();
                await Eventually.TrueAsync(() => Task.FromResult(SpooledBytes() > before), "the controller sends again", TimeSpan.FromSeconds(30));
                await Task.Delay(random.Next(0, 1000));
                await daemon.KillAsync();
                await daemon.StartAsync();
            }
            // Then until jobs submitted during the outage have ended and slurmctld has handed over its whole
            // queue: their records are in the spool, so the replay below has job rows to write (an empty agent
            // queue alone can come before any of them ran).
            long afterTheKills = SpooledBytes();
            List<uint> submittedWhileDown;
            lock (submitted)
                submittedWhileDown = [.. batchJobs.Skip(2), .. srunJobs];
            Assert.NotEmpty(submittedWhileDown);
            await Eventually.TrueAsync(async () =>
            {
                var active = (await cluster.RunAsync("/usr/bin/squeue", "-h", "-o", "%i")).StandardOutput
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(uint.Parse).ToHashSet();
                return !submittedWhileDown.Any(active.Contains) && SpooledBytes() > afterTheKills &&
                    RealSlurmCluster.AgentQueueSize((await cluster.RunAsync("/usr/bin/sdiag")).StandardOutput) == 0;
            }, "the jobs submitted while the database was down ended and the controller's queue spooled", TimeSpan.FromSeconds(60));
            long spooledBeforeReplay = SpooledBytes();

            // The database comes back while the daemon is down; the restarted daemon starts replaying at once
            // and, with every job row and gap locked by the test, waits inside its first replay transaction:
            // each kill there is certain to land in the middle of a replay, its transaction half done.
            await daemon.KillAsync();
            await _services.MariaDb.StartAsync();
            using (var holder = _services.MariaDb.Connect(_database))
            {
                using var locks = holder.BeginTransaction();
                holder.Execute("SELECT job_db_inx FROM job FOR UPDATE", transaction: locks);
                for (int kill = 0; kill < ReplayKills; kill++)
                {
                    await daemon.StartAsync();
                    await Eventually.TrueAsync(() => Task.FromResult(ReplayWaitsForTheLock()), "the replay waits for the job table");
                    Assert.True(SpooledBytes() > 0);
                    await daemon.KillAsync();
                }
                locks.Rollback();
            }
            await daemon.StartAsync();
            // And once more wherever the replay, or the live traffic after it, has got to.
            await Task.Delay(random.Next(200, 1500));
            await daemon.KillAsync();
            await daemon.StartAsync();
            await Task.Delay(2000);
            stop.Cancel();
            await producer;

            await Eventually.TrueAsync(async () => (await cluster.RunAsync("/usr/bin/squeue", "-h")).StandardOutput.Trim().Length == 0,
                "all jobs ran", TimeSpan.FromSeconds(60));
            int total = batchJobs.Count + srunJobs.Count;
            // Starts come from slurmctld's db_index thread, re-sent records after its agent reconnects.
            await Eventually.TrueAsync(() => Task.FromResult(FinishedJobs() == total), $"all {total} jobs stored with their starts",
                TimeSpan.FromSeconds(90));
            await Eventually.TrueAsync(async () => RealSlurmCluster.AgentQueueSize((await cluster.RunAsync("/usr/bin/sdiag")).StandardOutput) == 0,
                "the agent queue drained", TimeSpan.FromSeconds(60));
            output.WriteLine($"{batchJobs.Count} batch jobs, {srunJobs.Count} srun jobs; {spooledBeforeReplay} bytes spooled before the database " +
                $"came back; {SpoolingKills + 1} kills while spooling, {ReplayKills} inside a replay transaction, 1 after the replay");

            var sacct = await cluster.RunAsync("/usr/bin/sacct", "-a", "-X", "-n", "-P", "-o", "JobID,State", "-S", "2020-01-01");
            Assert.True(sacct.ExitCode == 0, sacct.Combined);
            Assert.Equal(batchJobs.Concat(srunJobs).Order().Select(id => $"{id}|COMPLETED"),
                sacct.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).OrderBy(line => uint.Parse(line.Split('|')[0])));

            using var database = _services.MariaDb.Connect(_database);
            Assert.Equal(batchJobs.Concat(srunJobs).Order(), database.Query<uint>("SELECT id_job FROM job ORDER BY id_job"));
            // Every step once: the batch step of each sbatch job, step 0 of each srun job, all finished.
            var steps = database.Query<(uint Job, int Step)>(
                "SELECT j.id_job, s.id_step FROM step s JOIN job j ON j.job_db_inx = s.job_db_inx WHERE s.time_end > 0 ORDER BY j.id_job, s.id_step").ToList();
            Assert.Equal(batchJobs.Select(id => (id, -5)).Concat(srunJobs.Select(id => (id, 0))).Order(), steps);
            Assert.Equal(steps.Count, database.ExecuteScalar<int>("SELECT COUNT(*) FROM step"));

            await daemon.StopAsync();
            using var spool = MessageSpool.Open(SpoolDirectory, 1L << 30, NullLogger.Instance);
            Assert.Equal(0, spool.Depth);
        }
        catch
        {
            output.WriteLine(cluster.Logs());
            output.WriteLine(daemon.Log());
            throw;
        }
    }

    /// <summary>srun of a one-step job; the job id it echoes.</summary>
    private static async Task<uint> SrunAsync(RealSlurmCluster cluster)
    {
        var result = await cluster.RunAsync("/usr/bin/srun", "-N1", "sh", "-c", "echo $SLURM_JOB_ID");
        Assert.True(result.ExitCode == 0 && uint.TryParse(result.StandardOutput.Trim(), out _), result.Combined);
        return uint.Parse(result.StandardOutput.Trim());
    }
}
