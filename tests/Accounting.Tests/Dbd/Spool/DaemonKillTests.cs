using System.Net;
using Accounting.Dbd.Spool;
using Accounting.Tests.Support;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Accounting.Tests.Dbd.Spool;

/// <summary>
/// SIGKILL of the daemon (its own process, as operators run it) again and again while it spools and while
/// it replays, with a controller that re-sends whatever was not acknowledged, as slurmctld does: afterwards
/// every job the controller was told is stored is in the database exactly once, complete with its step.
/// </summary>
public sealed class DaemonKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly SharedServices _services = new();
    private readonly TemporaryDirectory _directory = new("dbdkill");
    private readonly int _port = FreePort.Next();
    private DaemonProcess? _daemon;

    public Task InitializeAsync() => _services.InitializeAsync();

    public async Task DisposeAsync()
    {
        _daemon?.Dispose();
        await _services.DisposeAsync();
        _directory.Dispose();
    }

    private string SpoolDirectory => DaemonProcess.SpoolDirectoryIn(_directory);

    private string Log() => _daemon?.Log() ?? "";

    [Fact]
    public async Task Killed_while_spooling_and_while_replaying_it_loses_and_duplicates_nothing()
    {
        _daemon = DaemonProcess.Spooling(_directory, _port, _services, "kill_test", "AuthType=auth/none");
        await _daemon.StartAsync();
        await using var controller = new FakeSlurmctld(() => new IPEndPoint(IPAddress.Loopback, _port), () => DbdClient.NoneInit());
        var random = new Random(11);
        using var stop = new CancellationTokenSource();
        var producer = Task.Run(async () =>
        {
            for (uint job = 1; !stop.IsCancellationRequested; job++)
                Assert.True(await controller.RunJobAsync(job, batched: job % 4 == 0));
        });

        await Task.Delay(1000);
        await _services.MariaDb.KillAsync();
        int spoolKills = 0, replayKills = 0;
        for (; spoolKills < 4; spoolKills++)
        {
            await Task.Delay(random.Next(300, 1500));
            await _daemon.KillAsync();
            await _daemon.StartAsync();
        }
        // Enough in the spool that replay takes a while, so the kills below land in it.
        while (DaemonProcess.SpooledBytes(SpoolDirectory) < 4_000_000 && !producer.IsCompleted)
            await Task.Delay(100);
        int acknowledgedBeforeReplay = controller.Acknowledged;

        await _services.MariaDb.StartAsync();
        for (; replayKills < 5; replayKills++)
        {
            await Task.Delay(random.Next(300, 3000));
            await _daemon.KillAsync();
            await _daemon.StartAsync();
        }
        await Task.Delay(1000);
        stop.Cancel();
        await producer;

        var finished = controller.FinishedJobs.ToHashSet();
        using var database = _services.MariaDb.Connect("kill_test");
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (database.ExecuteScalar<int>("SELECT COUNT(*) FROM job WHERE state = 3") < finished.Count && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        await _daemon.StopAsync();
        using (var spool = MessageSpool.Open(SpoolDirectory, 1L << 30, NullLogger.Instance))
            Assert.Equal(0, spool.Depth);

        output.WriteLine($"{finished.Count} jobs, {controller.Acknowledged} records acknowledged ({acknowledgedBeforeReplay} before the database came back), " +
            $"{controller.Reconnects} connections, {spoolKills} kills while spooling, {replayKills} while replaying");
        foreach (string line in Log().Split('\n').Where(l => l.Contains("spool") || l.Contains("torn")))
            output.WriteLine(line);

        // No db_index was handed to two jobs, across all the restarts.
        Assert.Equal(controller.DbIndexes.Count, controller.DbIndexes.Values.Distinct().Count());
        var jobs = database.Query<(uint JobId, uint State, long End)>("SELECT id_job, state, time_end FROM job ORDER BY id_job").ToList();
        Assert.Equal(finished.Order(), jobs.Select(j => j.JobId));
        Assert.All(jobs, job => Assert.Equal((3u, FakeSlurmctld.Submit + job.JobId + 7), (job.State, job.End)));
        var steps = database.Query<(uint JobId, uint State)>(
            "SELECT j.id_job, s.state FROM step s JOIN job j ON j.job_db_inx = s.job_db_inx ORDER BY j.id_job").ToList();
        Assert.Equal(finished.Order().Select(id => (id, 3u)), steps);
    }
}
