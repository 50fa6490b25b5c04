using System.Diagnostics;
using System.Net.Sockets;
using Accounting.Tests.Support;

namespace Accounting.Tests.Dbd.Hosting;

/// <summary>The daemon as operators start it: its own process, slurmdbd's flags, a real slurmdbd.conf.</summary>
[Collection(ServicesCollection.Name)]
public sealed class DaemonProcessTests(SharedServices services)
{
    private static string DaemonAssembly => Path.Combine(AppContext.BaseDirectory, "slurmdbd-net.dll");

    private string WriteConfig(TemporaryDirectory directory, int port, string extra = "")
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
            StorageLoc={services.MariaDb.NewDatabaseName()}
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
        Assert.Equal(9L, Dapper.SqlMapper.ExecuteScalar<long>(connection, "SELECT COUNT(*) FROM tres"));
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
