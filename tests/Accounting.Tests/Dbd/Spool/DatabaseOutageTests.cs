using System.Diagnostics;
using Accounting.Dbd.Authentication;
using Accounting.Dbd.Spool;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Accounting.Tests.Dbd.Spool;

/// <summary>
/// Nothing lost while the database is down: a controller keeps sending job records (alone and in MULT
/// batches) while a private MariaDB is stopped and started again; every record it was told is stored is
/// in the database exactly once afterwards, and sacct shows every job.
/// </summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly SharedServices _services = new();

    public Task InitializeAsync() => _services.InitializeAsync();

    public Task DisposeAsync() => _services.DisposeAsync();

    private const string Timeouts = "StorageParameters=CONNECT_TIMEOUT=2,COMMAND_TIMEOUT=5";

    private FakeSlurmctld Controller(RunningDaemon daemon)
    {
        var munge = new MungeClient(_services.Munge.Socket);
        return new FakeSlurmctld(() => daemon.EndPoint, () => DbdClient.MungeInit(munge));
    }

    private static async Task WaitForEmptySpoolAsync(MessageSpool spool)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (spool.Depth > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the spool still holds {spool.Depth} records");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Every_record_acknowledged_while_the_database_was_down_is_stored_once_and_sacct_shows_every_job()
    {
        await using var daemon = await RunningDaemon.StartAsync(_services, "auth/munge", Timeouts);
        var spool = daemon.Services.GetRequiredService<MessageSpool>();
        await using var controller = Controller(daemon);
        uint job = 1;
        var live = Stopwatch.StartNew();
        for (; job <= 40; job++)
            Assert.True(await controller.RunJobAsync(job, batched: job % 4 == 0));
        double storedPerSecond = controller.Acknowledged / live.Elapsed.TotalSeconds;

        await _services.MariaDb.KillAsync();
        var watch = Stopwatch.StartNew();
        int acknowledgedBefore = controller.Acknowledged;
        for (; job <= 240; job++)
            Assert.True(await controller.RunJobAsync(job, batched: job % 4 == 0));
        double spooledPerSecond = (controller.Acknowledged - acknowledgedBefore) / watch.Elapsed.TotalSeconds;
        Assert.True(spool.Depth > 0);

        // Admin writes are refused with a clear error at once while no database is writable.
        await using (var admin = await DbdClient.ConnectAsync(daemon.EndPoint))
        {
            Assert.Equal(0, (await admin.InitAsync(DbdClient.MungeInit(new MungeClient(_services.Munge.Socket)))).ReturnCode);
            var refused = Assert.IsType<PersistRc>(await admin.RequestAsync(new ListMessage<AccountRecord>(
                DbdMessageType.AddAccounts, [new AccountRecord { Name = "physics", Description = "physics", Organization = "science" }])));
            Assert.Equal(SlurmError.DbConnection, refused.ReturnCode);
        }
        var sacctmgr = await daemon.SacctmgrAsync("-i", "add", "account", "physics");
        output.WriteLine($"sacctmgr while down (exit {sacctmgr.ExitCode}): {sacctmgr.StandardOutput}");
        Assert.NotEqual(0, sacctmgr.ExitCode);
        Assert.Contains("sacctmgr: error: Unable to connect to database", sacctmgr.StandardOutput);

        await _services.MariaDb.StartAsync();
        // The controller goes on while the spool drains: its new records queue behind the spooled ones.
        for (; job <= 300; job++)
            Assert.True(await controller.RunJobAsync(job, batched: job % 4 == 0));
        await WaitForEmptySpoolAsync(spool);
        output.WriteLine($"{acknowledgedBefore} records stored live at {storedPerSecond:0} records/s, then "
            + $"{controller.Acknowledged - acknowledgedBefore} spooled at {spooledPerSecond:0} records/s");
        foreach (string line in daemon.Log().Split('\n').Where(l => l.Contains("spool") || l.Contains("db_index")))
            output.WriteLine(line);

        using var database = _services.MariaDb.Connect(daemon.Database);
        var rows = database.Query<(uint JobId, ulong DbIndex, uint State, long End)>(
            "SELECT id_job, job_db_inx, state, time_end FROM job ORDER BY id_job").ToList();
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (uint)i), rows.Select(r => r.JobId));
        Assert.All(rows, row => Assert.Equal((controller.DbIndexes[row.JobId], 3u, FakeSlurmctld.Submit + row.JobId + 7),
            (row.DbIndex, row.State, row.End)));
        Assert.Equal(300, database.ExecuteScalar<int>("SELECT COUNT(*) FROM step WHERE state = 3"));
        Assert.Equal(300, database.ExecuteScalar<int>("SELECT COUNT(*) FROM step"));

        var sacct = await ProcessRunner.RunAsync("sacct", ["-a", "-X", "-n", "-P", "-o", "JobID,State", "-S", "2027-01-01", "-E", "2027-12-31"],
            new Dictionary<string, string> { ["SLURM_CONF"] = daemon.SlurmConf });
        Assert.True(sacct.ExitCode == 0, sacct.Combined);
        Assert.Equal(Enumerable.Range(1, 300).Select(i => $"{i}|COMPLETED"), sacct.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// A hung database (SIGSTOP: connections stay up, nothing answers) holds a controller write for
    /// SPOOL_AFTER, not for COMMAND_TIMEOUT: the write is spooled, the controller's queue keeps moving, and
    /// once the database answers again every job is stored once, including a write that was already under
    /// way on the hung connection when it was spooled.
    /// </summary>
    [Fact]
    public async Task A_hung_database_holds_a_controller_write_for_spool_after_then_the_write_is_spooled_and_stored_once()
    {
        await using var daemon = await RunningDaemon.StartAsync(_services, "auth/munge", "StorageParameters=SPOOL_AFTER=2");
        var spool = daemon.Services.GetRequiredService<MessageSpool>();
        await using var controller = Controller(daemon);
        Assert.True(await controller.RunJobAsync(1, batched: false));

        Process.Start("kill", ["-STOP", $"{_services.MariaDb.ProcessId}"]).WaitForExit();
        var hung = Stopwatch.StartNew();
        try
        {
            for (uint job = 2; job <= 20; job++)
                Assert.True(await controller.RunJobAsync(job, batched: job % 4 == 0));
            output.WriteLine($"19 jobs acknowledged in {hung.Elapsed} while the database was stopped");
            // COMMAND_TIMEOUT is 600 s here: only SPOOL_AFTER can have let these through.
            Assert.True(hung.Elapsed < TimeSpan.FromSeconds(120), $"took {hung.Elapsed}");
            Assert.True(spool.Depth > 0);
        }
        finally
        {
            Process.Start("kill", ["-CONT", $"{_services.MariaDb.ProcessId}"]).WaitForExit();
        }
        await WaitForEmptySpoolAsync(spool);

        using var database = _services.MariaDb.Connect(daemon.Database);
        var rows = database.Query<(uint JobId, uint State)>("SELECT id_job, state FROM job ORDER BY id_job").ToList();
        Assert.Equal(Enumerable.Range(1, 20).Select(i => ((uint)i, 3u)), rows);
        Assert.Equal(20, database.ExecuteScalar<int>("SELECT COUNT(*) FROM step"));
    }

    [Fact]
    public async Task At_its_limit_the_spool_refuses_new_records_and_keeps_every_old_one()
    {
        await using var daemon = await RunningDaemon.StartAsync(_services, "auth/munge", Timeouts + ",SPOOL_MAX_MB=1");
        var spool = daemon.Services.GetRequiredService<MessageSpool>();
        await using var controller = Controller(daemon);
        Assert.True(await controller.RunJobAsync(1, batched: false));
        await _services.MariaDb.KillAsync();

        // 20 KB job starts (a long working directory): about fifty fill a 1 MB spool.
        controller.StopAtRefusal = true;
        string workDir = "/" + new string('w', 20_000);
        var acknowledged = new List<uint>();
        uint job = 2;
        for (; job < 1000 && await controller.SendAsync(FakeSlurmctld.Start(job, workDir)) is IdReturnCode; job++)
            acknowledged.Add(job);
        var refusal = Assert.IsType<PersistRc>(controller.LastRefusal);
        Assert.Equal(SlurmError.DbConnection, refusal.ReturnCode);
        Assert.Contains("spool is full", refusal.Comment);
        Assert.InRange(acknowledged.Count, 40, 60);
        Assert.Contains("records will be refused when it is full", daemon.Log());

        await _services.MariaDb.StartAsync();
        await WaitForEmptySpoolAsync(spool);
        // The refused start is what slurmctld keeps in its queue and sends again: now it is stored.
        controller.StopAtRefusal = false;
        Assert.IsType<IdReturnCode>(await controller.SendAsync(FakeSlurmctld.Start(job, workDir)));

        using var database = _services.MariaDb.Connect(daemon.Database);
        var stored = database.Query<uint>("SELECT id_job FROM job ORDER BY id_job").ToList();
        Assert.Equal([1u, .. acknowledged, job], stored);
    }
}
