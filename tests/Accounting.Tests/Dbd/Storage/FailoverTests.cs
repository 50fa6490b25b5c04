using System.Diagnostics;
using Accounting.Dbd.Spool;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Wire;
using Accounting.Tests.Support;
using Dapper;
using Accounting.Model.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Accounting.Tests.Dbd.Storage;

/// <summary>
/// StorageHost + StorageBackupHost against a real MariaDB primary and GTID replica (issue 6, test c):
/// the primary dies, the daemon moves to the replica, reads work from it, admin writes are refused and
/// controller writes spooled until a server is writable, then stored once; a primary that comes back is
/// never written to on the daemon's own initiative.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class FailoverTests(SharedServices services, ITestOutputHelper output)
{
    private static readonly long Submit = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600;

    /// <summary>How long the test gives the daemon to do what it must not (drift back to the old primary).</summary>
    private static readonly TimeSpan SeveralMonitorTicks = TimeSpan.FromSeconds(4);

    private sealed class Setup(ReplicatedMariaDb servers, RunningDaemon daemon, FakeSlurmctld controller) : IAsyncDisposable
    {
        public ReplicatedMariaDb Servers => servers;
        public RunningDaemon Daemon => daemon;
        public FakeSlurmctld Controller => controller;
        public DatabaseServer Current => daemon.Services.GetRequiredService<DatabaseLocator>().Current;
        public MessageSpool Spool => daemon.Services.GetRequiredService<MessageSpool>();

        public async ValueTask DisposeAsync()
        {
            await controller.DisposeAsync();
            await daemon.DisposeAsync();
            await servers.DisposeAsync();
        }
    }

    /// <summary>Primary and replica, the daemon on both, cluster alpha registered, job 1 running, account physics and user alice.</summary>
    private async Task<Setup> StartAsync()
    {
        var servers = await ReplicatedMariaDb.StartAsync();
        var daemon = await RunningDaemon.StartAsync(services, "auth/none", $"""
            StorageHost=127.0.0.1:{servers.Primary.Port}
            StorageBackupHost=127.0.0.1:{servers.Replica.Port}
            StorageParameters=CONNECT_TIMEOUT=2,COMMAND_TIMEOUT=10
            """);
        var controller = new FakeSlurmctld(() => daemon.EndPoint, () => DbdClient.NoneInit());
        var setup = new Setup(servers, daemon, controller);
        Assert.IsType<IdReturnCode>(await controller.SendAsync(JobStart(1)));
        await SacctmgrOkAsync(daemon, "-i", "add", "account", "physics");
        await SacctmgrOkAsync(daemon, "-i", "add", "user", "alice", "account=physics");
        await ReplicatedMariaDb.CatchUpAsync(servers.Primary, servers.Replica);
        Assert.Equal([1u], JobIds(servers.Replica, daemon));
        Assert.True(setup.Current.IsPrimary);
        return setup;
    }

    private static JobStartMessage JobStart(uint id) => new()
    {
        JobId = id, SubmitTime = Submit + id, StartTime = Submit + id + 1, EligibleTime = Submit + id, JobState = 1, Name = "wrap",
        Nodes = "localhost", DbIndex = JobStartMessage.DbIndexPending, Uid = 0, Gid = 0, Partition = "debug", AllocNodes = 1,
    };

    private static List<uint> JobIds(MariaDbServer server, RunningDaemon daemon)
    {
        using var connection = ReplicatedMariaDb.Open(server, daemon.Database);
        return connection.Query<uint>("SELECT id_job FROM job ORDER BY id_job").ToList();
    }

    private static List<string> Accounts(MariaDbServer server, RunningDaemon daemon)
    {
        using var connection = ReplicatedMariaDb.Open(server, daemon.Database);
        return connection.Query<string>("SELECT name FROM acct WHERE deleted = 0 ORDER BY name").ToList();
    }

    private static async Task<string> SacctmgrOkAsync(RunningDaemon daemon, params string[] arguments)
    {
        var result = await daemon.SacctmgrAsync(arguments);
        Assert.True(result.ExitCode == 0, $"sacctmgr {string.Join(' ', arguments)}: {result.Combined}");
        return result.StandardOutput;
    }

    private static async Task<string> SacctAsync(RunningDaemon daemon)
    {
        var result = await ProcessRunner.RunAsync("sacct", ["-a", "-X", "-n", "-P", "-o", "JobID,State", "-S", "2020-01-01"],
            new Dictionary<string, string> { ["SLURM_CONF"] = daemon.SlurmConf });
        Assert.True(result.ExitCode == 0, result.Combined);
        return result.StandardOutput;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>Kills the primary and returns how long the daemon took to move to the replica.</summary>
    private async Task<TimeSpan> KillPrimaryAsync(Setup setup)
    {
        var clock = Stopwatch.StartNew();
        await setup.Servers.Primary.KillAsync();
        await WaitUntilAsync(() => !setup.Current.IsPrimary, "the daemon uses the backup");
        output.WriteLine($"failover to the replica {clock.Elapsed.TotalSeconds:0.00} s after the primary was killed");
        return clock.Elapsed;
    }

    /// <summary>
    /// While the replica is read-only: reads answer from it, admin writes are refused, controller jobs
    /// <paramref name="jobs"/> (alone and batched) are acknowledged from the spool and stored nowhere yet.
    /// </summary>
    private static async Task AssertReadOnlyPhaseAsync(Setup setup, IEnumerable<uint> jobs, string account)
    {
        Assert.Contains("physics|alice", await SacctmgrOkAsync(setup.Daemon, "-n", "-P", "show", "assoc", "format=account,user"));
        Assert.Contains("1|RUNNING", await SacctAsync(setup.Daemon));

        var refused = await setup.Daemon.SacctmgrAsync("-i", "add", "account", account);
        Assert.Contains("Unable to connect to database", refused.Combined);
        Assert.Contains($"no writable database: backup 127.0.0.1:{setup.Servers.Replica.Port} is read-only", setup.Daemon.Log());

        foreach (uint job in jobs)
            Assert.True(await setup.Controller.RunJobAsync(job, batched: job % 2 == 0));
        Assert.True(setup.Spool.Depth > 0);
        Assert.Equal([1u], JobIds(setup.Servers.Replica, setup.Daemon));
        Assert.DoesNotContain(account, Accounts(setup.Servers.Replica, setup.Daemon));
    }

    private static async Task WaitForEmptySpoolAsync(Setup setup) =>
        await WaitUntilAsync(() => setup.Spool.Depth == 0, "the spool is replayed");

    /// <summary>Each job once, and each of the controller's jobs with its one step.</summary>
    private static void AssertStoredOnce(MariaDbServer server, RunningDaemon daemon, uint[] jobs, int steps)
    {
        Assert.Equal(jobs, JobIds(server, daemon));
        using var connection = ReplicatedMariaDb.Open(server, daemon.Database);
        Assert.Equal(steps, connection.ExecuteScalar<int>("SELECT COUNT(*) FROM step"));
    }

    private static uint[] Range(uint first, uint last) => Enumerable.Range((int)first, (int)(last - first + 1)).Select(i => (uint)i).ToArray();

    [Fact]
    public async Task Killing_the_primary_moves_to_the_replica_and_after_promotion_the_returning_primary_is_never_written()
    {
        await using var setup = await StartAsync();
        var (servers, daemon) = (setup.Servers, setup.Daemon);

        await KillPrimaryAsync(setup);
        Assert.Contains("database: switching from primary", daemon.Log());
        await AssertReadOnlyPhaseAsync(setup, Range(10, 19), account: "chemistry");

        // Promotion: the jobs spooled meanwhile are stored once, then writes go to the replica, now a primary.
        await servers.PromoteReplicaAsync();
        await WaitUntilAsync(() => daemon.Log().Contains($"backup 127.0.0.1:{servers.Replica.Port} is writable"), "the daemon sees the promotion");
        await WaitForEmptySpoolAsync(setup);
        AssertStoredOnce(servers.Replica, daemon, [1u, .. Range(10, 19)], steps: 10);
        await SacctmgrOkAsync(daemon, "-i", "add", "account", "chemistry");
        Assert.True(await setup.Controller.RunJobAsync(20, batched: false));

        // The old primary comes back, stale and writable: the daemon stays on the promoted replica, also
        // when an administrator reconfigures.
        await servers.Primary.StartAsync();
        await Task.Delay(SeveralMonitorTicks);
        Assert.True(await setup.Controller.RunJobAsync(21, batched: true));
        await SacctmgrOkAsync(daemon, "reconfigure");
        Assert.Contains("stays on backup", daemon.Log());
        await SacctmgrOkAsync(daemon, "-i", "add", "account", "biology");
        await WaitForEmptySpoolAsync(setup);
        Assert.False(setup.Current.IsPrimary);
        Assert.Equal([1u], JobIds(servers.Primary, daemon));
        Assert.Equal(["physics", "root"], Accounts(servers.Primary, daemon));
        AssertStoredOnce(servers.Replica, daemon, [1u, .. Range(10, 21)], steps: 12);
        Assert.Equal(["biology", "chemistry", "physics", "root"], Accounts(servers.Replica, daemon));

        // Moving back as README describes: the old primary rejoins and catches up, the replica is
        // demoted, the old primary promoted; the daemon follows by itself.
        await servers.RejoinAsync(servers.Primary, servers.Replica);
        Assert.Equal(0, (await servers.Replica.RootSqlAsync("SET GLOBAL read_only = 1")).ExitCode);
        await ReplicatedMariaDb.CatchUpAsync(servers.Replica, servers.Primary);
        await servers.PromoteAsync(servers.Primary);
        await WaitUntilAsync(() => setup.Current.IsPrimary, "the daemon returns to the primary");
        Assert.Contains("was demoted (read_only is ON)", daemon.Log());
        Assert.True(await setup.Controller.RunJobAsync(22, batched: false));
        await WaitForEmptySpoolAsync(setup);
        AssertStoredOnce(servers.Primary, daemon, [1u, .. Range(10, 22)], steps: 13);
        Assert.Equal(["biology", "chemistry", "physics", "root"], Accounts(servers.Primary, daemon));
    }

    [Fact]
    public async Task A_hung_primary_is_left_for_the_replica_within_seconds()
    {
        await using var setup = await StartAsync();
        // SIGSTOP: connections to the primary stay up and nothing answers; only timeouts can tell.
        var clock = Stopwatch.StartNew();
        Signal("STOP", setup.Servers.Primary.ProcessId);
        try
        {
            await WaitUntilAsync(() => !setup.Current.IsPrimary, "the daemon leaves the hung primary");
            output.WriteLine($"failover to the replica {clock.Elapsed.TotalSeconds:0.00} s after the primary hung");
            await AssertReadOnlyPhaseAsync(setup, Range(10, 12), account: "chemistry");
        }
        finally
        {
            Signal("CONT", setup.Servers.Primary.ProcessId);
        }
    }

    [Fact]
    public async Task With_both_servers_down_requests_get_db_connection_errors_not_a_hang()
    {
        await using var setup = await StartAsync();
        await setup.Servers.Primary.KillAsync();
        await setup.Servers.Replica.KillAsync();

        await using var reader = await DbdClient.ConnectAsync(setup.Daemon.EndPoint);
        Assert.Equal(0, (await reader.InitAsync(DbdClient.NoneInit())).ReturnCode);
        var reply = Assert.IsType<PersistRc>(await reader.RequestAsync(
            new ConditionMessage<TresCondition>(DbdMessageType.GetTres, new TresCondition(0, null, null, null, null, 0))).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal((SlurmError.DbConnection, (ushort)DbdMessageType.GetTres), (reply.ReturnCode, reply.RetInfo));
        Assert.Contains("Unable to connect to database", (await setup.Daemon.SacctmgrAsync("-i", "add", "account", "chemistry")).Combined);
        var show = await setup.Daemon.SacctmgrAsync("-n", "-P", "show", "assoc");
        Assert.DoesNotContain("physics", show.Combined);
        Assert.Contains("unreachable", setup.Daemon.Log());
    }

    /// <summary>Two writable servers at start: one is a stale primary back after a promotion; the daemon does not guess.</summary>
    [Fact]
    public void Starting_with_both_servers_writable_is_refused()
    {
        var locator = new DatabaseLocator(new StorageOptions
        {
            Host = $"127.0.0.1:{services.MariaDb.Port}",
            BackupHost = $"127.0.0.1:{services.MariaDb.Port}",
            User = MariaDbServer.User,
            Password = MariaDbServer.Password,
            Database = services.MariaDb.NewDatabaseName(),
        }, NullLogger<DatabaseLocator>.Instance);

        var refusal = Assert.Throws<StorageUnavailableException>(locator.ChooseAtStart);
        Assert.Contains("both primary 127.0.0.1", refusal.Message);
        Assert.Contains("are writable", refusal.Message);
    }

    /// <summary>
    /// An administrator's transaction is open on the primary when it hangs; the daemon leaves it, the
    /// primary then answers again: the commit must not land on the server the daemon has left.
    /// </summary>
    [Fact]
    public async Task A_transaction_open_across_a_switch_is_rolled_back_not_committed_on_the_server_left_behind()
    {
        await using var setup = await StartAsync();
        await using var admin = await DbdClient.ConnectAsync(setup.Daemon.EndPoint);
        Assert.Equal(0, (await admin.InitAsync(DbdClient.NoneInit())).ReturnCode);
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddQos), await admin.RequestAsync(new ListMessage<QosRecord>(DbdMessageType.AddQos,
            [new QosRecord { Name = "high", Flags = 0x10000000, PreemptMode = SlurmValues.NoVal16 }])));

        Signal("STOP", setup.Servers.Primary.ProcessId);
        try
        {
            await WaitUntilAsync(() => !setup.Current.IsPrimary, "the daemon leaves the hung primary");
        }
        finally
        {
            Signal("CONT", setup.Servers.Primary.ProcessId);
        }
        var commit = Assert.IsType<PersistRc>(await admin.RequestAsync(new FiniMessage(0, 1)));

        Assert.Equal(SlurmError.DbConnection, commit.ReturnCode);
        Assert.Contains("during the transaction; rolled back", setup.Daemon.Log());
        using var primary = ReplicatedMariaDb.Open(setup.Servers.Primary, setup.Daemon.Database);
        Assert.Equal(0, primary.ExecuteScalar<int>("SELECT COUNT(*) FROM qos WHERE name = 'high'"));
    }

    [Fact]
    public async Task When_the_promoted_replica_dies_the_daemon_waits_for_it_or_for_an_administrator()
    {
        await using var setup = await StartAsync();
        var (servers, daemon) = (setup.Servers, setup.Daemon);
        await KillPrimaryAsync(setup);
        await servers.PromoteReplicaAsync();
        Assert.True(await setup.Controller.RunJobAsync(10, batched: false));
        await WaitForEmptySpoolAsync(setup);

        // The stale primary is back, the promoted replica dies: nothing goes to the primary on its own.
        await servers.Primary.StartAsync();
        await servers.Replica.KillAsync();
        Assert.True(await setup.Controller.RunJobAsync(11, batched: true));
        await Task.Delay(SeveralMonitorTicks);
        Assert.False(setup.Current.IsPrimary);
        Assert.True(setup.Spool.Depth > 0);
        Assert.Equal([1u], JobIds(servers.Primary, daemon));

        // The administrator decides the primary is good enough: the spool is stored there. Job 10 stays on
        // the dead replica only: the divergence the daemon would not choose by itself.
        await SacctmgrOkAsync(daemon, "reconfigure");
        Assert.True(setup.Current.IsPrimary);
        await WaitForEmptySpoolAsync(setup);
        AssertStoredOnce(servers.Primary, daemon, [1u, 11u], steps: 1);
    }

    private static void Signal(string signal, int pid) => Process.Start("kill", [$"-{signal}", $"{pid}"]).WaitForExit();

    [Fact]
    public async Task A_replica_never_promoted_keeps_the_daemon_until_an_administrator_reconfigures()
    {
        await using var setup = await StartAsync();
        var (servers, daemon) = (setup.Servers, setup.Daemon);

        await KillPrimaryAsync(setup);
        await AssertReadOnlyPhaseAsync(setup, Range(10, 14), account: "chemistry");

        // The primary restarts: it is not stale (the replica was never promoted) but the daemon cannot
        // know that; it stays on the replica until told, and controller jobs stay in the spool.
        await servers.Primary.StartAsync();
        await Task.Delay(SeveralMonitorTicks);
        Assert.True(await setup.Controller.RunJobAsync(15, batched: true));
        Assert.False(setup.Current.IsPrimary);
        Assert.True(setup.Spool.Depth > 0);
        Assert.Equal([1u], JobIds(servers.Primary, daemon));

        await SacctmgrOkAsync(daemon, "reconfigure");
        Assert.True(setup.Current.IsPrimary);
        Assert.Contains("administrator reconfigure", daemon.Log());
        await SacctmgrOkAsync(daemon, "-i", "add", "account", "chemistry");
        await WaitForEmptySpoolAsync(setup);
        Assert.True(await setup.Controller.RunJobAsync(16, batched: false));
        AssertStoredOnce(servers.Primary, daemon, [1u, .. Range(10, 16)], steps: 7);
        // The replica still follows the primary.
        await ReplicatedMariaDb.CatchUpAsync(servers.Primary, servers.Replica);
        AssertStoredOnce(servers.Replica, daemon, [1u, .. Range(10, 16)], steps: 7);
        Assert.Contains("chemistry", Accounts(servers.Replica, daemon));
    }
}
