using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Accounting.Tests.Support;
using Dapper;

namespace Accounting.Tests.Dbd.Hosting;

/// <summary>The daemon as operators start it: its own process, slurmdbd's flags, a real slurmdbd.conf.</summary>
[Collection(ServicesCollection.Name)]
public sealed class DaemonProcessTests(SharedServices services)
{
    private static string DaemonAssembly => Path.Combine(AppContext.BaseDirectory, "slurmdbd-net.dll");

    private string WriteConfig(TemporaryDirectory directory, int port, string extra = "", string? database = null)
    {
        string path = directory.File("slurmdbd.conf");
        File.WriteAllText(path, $"""
            AuthType=auth/none
            DbdAddr=127.0.0.1
            DbdPort={port}
            PidFile={directory.File("slurmdbd.pid")}
            StorageHost=127.0.0.1
            StoragePort={services.MariaDb.Port}
            StorageUser={MariaDbServer.User}
            StoragePass={MariaDbServer.Password}
            StorageLoc={database ?? services.MariaDb.NewDatabaseName()}
            {RunningDaemon.WithSpoolDirectory(extra, directory.File("spool"))}
            """);
        return path;
    }

    [Fact]
    public async Task In_the_foreground_it_serves_writes_its_pid_file_and_stops_cleanly_on_sigterm()
    {
        using var directory = new TemporaryDirectory("proc");
        int port = FreePort.Next();
        string config = WriteConfig(directory, port);
        using var daemon = Process.Start(new ProcessStartInfo("dotnet") { ArgumentList = { DaemonAssembly, "-D", "-f", config }, RedirectStandardError = true })!;
        try
        {
            await WaitForPortAsync(port, daemon);
            Assert.Equal($"{daemon.Id}", File.ReadAllText(directory.File("slurmdbd.pid")).Trim());

            Process.Start("kill", ["-TERM", $"{daemon.Id}"]).WaitForExit();
            Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(20)), "the daemon did not stop on SIGTERM");
            Assert.Equal(0, daemon.ExitCode);
            Assert.False(File.Exists(directory.File("slurmdbd.pid")));
        }
        finally
        {
            if (!daemon.HasExited)
                daemon.Kill();
        }
    }

    /// <summary>As slurmdbd, SIGHUP reconfigures (and is how an administrator asks for StorageHost back after a failover).</summary>
    [Fact]
    public async Task Sighup_reconfigures_and_the_daemon_keeps_serving()
    {
        using var directory = new TemporaryDirectory("proc");
        int port = FreePort.Next();
        string log = directory.File("slurmdbd.log");
        string config = WriteConfig(directory, port, $"LogFile={log}");
        using var daemon = Process.Start(new ProcessStartInfo("dotnet") { ArgumentList = { DaemonAssembly, "-D", "-f", config }, RedirectStandardError = true })!;
        try
        {
            await WaitForPortAsync(port, daemon);
            Process.Start("kill", ["-HUP", $"{daemon.Id}"]).WaitForExit();
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!File.ReadAllText(log).Contains("reconfigure: database: only primary 127.0.0.1:") && DateTime.UtcNow < deadline)
                await Task.Delay(100);

            Assert.Contains("Reconfigure signal (SIGHUP) received", File.ReadAllText(log));
            Assert.Contains($"reconfigure: database: only primary 127.0.0.1:{services.MariaDb.Port} is configured", File.ReadAllText(log));
            Assert.False(daemon.HasExited);
            await WaitForPortAsync(port, daemon);
        }
        finally
        {
            if (!daemon.HasExited)
                daemon.Kill();
        }
    }

    [Fact]
    public async Task A_malformed_value_stops_start_up_naming_file_and_line_and_never_the_password()
    {
        using var directory = new TemporaryDirectory("proc");
        string config = WriteConfig(directory, FreePort.Next(), "DbdPort=not-a-port");

        var result = await ProcessRunner.RunAsync("dotnet", [DaemonAssembly, "-D", "-f", config]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{config}:10:", result.StandardError);
        Assert.DoesNotContain(MariaDbServer.Password, result.Combined);
    }

    [Fact]
    public async Task Migrate_only_prepares_the_database_and_exits()
    {
        using var directory = new TemporaryDirectory("proc");
        string config = WriteConfig(directory, FreePort.Next(), "StorageLoc=migrate_only_check_db");

        var result = await ProcessRunner.RunAsync("dotnet", [DaemonAssembly, "-D", "-f", config, "--migrate-only"]);

        Assert.True(result.ExitCode == 0, result.Combined);
        using var connection = services.MariaDb.Connect("migrate_only_check_db");
        Assert.Equal(9L, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM tres"));
    }

    [Fact]
    public async Task An_unreachable_database_stops_start_up_with_a_clear_reason()
    {
        using var directory = new TemporaryDirectory("proc");
        string config = WriteConfig(directory, FreePort.Next(), $"StoragePort={FreePort.Next()}\nStorageParameters=CONNECT_TIMEOUT=2");

        var result = await ProcessRunner.RunAsync("dotnet", [DaemonAssembly, "-D", "-f", config]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot connect to 127.0.0.1", result.StandardError);
    }

    /// <summary>
    /// A database that accepts connections but does not answer, here because of a table lock such as a backup
    /// takes: start-up times out, and a daemon that has run with this database before starts anyway and
    /// spools, as when the database is unreachable, instead of dying of the timeout.
    /// </summary>
    [Fact]
    public async Task Restarted_while_its_database_hangs_it_starts_and_spools_instead_of_crashing()
    {
        using var directory = new TemporaryDirectory("proc");
        int port = FreePort.Next();
        string database = services.MariaDb.NewDatabaseName();
        string log = directory.File("slurmdbd.log");
        using var daemon = new DaemonProcess(WriteConfig(directory, port,
            $"LogFile={log}\nStorageParameters=CONNECT_TIMEOUT=2,COMMAND_TIMEOUT=2,SPOOL_AFTER=2", database), port, log);
        await daemon.StartAsync();
        await daemon.StopAsync();

        using (var holder = services.MariaDb.Connect(database))
        {
            holder.Execute("LOCK TABLES job WRITE");
            await daemon.StartAsync();
            Assert.Contains("starting anyway: controller records are spooled until the database is back", daemon.Log());
            await using var controller = new FakeSlurmctld(() => new IPEndPoint(IPAddress.Loopback, port), () => DbdClient.NoneInit());
            Assert.True(await controller.RunJobAsync(1, batched: false));
            holder.Execute("UNLOCK TABLES");
        }

        using var connection = services.MariaDb.Connect(database);
        await Eventually.TrueAsync(() => Task.FromResult(connection.ExecuteScalar<int>("SELECT COUNT(*) FROM job WHERE id_job = 1 AND state = 3") == 1),
            "the spooled job stored once the lock is gone");
    }

    private static async Task WaitForPortAsync(int port, Process daemon)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !daemon.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }
}
