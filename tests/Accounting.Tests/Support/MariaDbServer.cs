using System.Diagnostics;
using MySql.Data.MySqlClient;

namespace Accounting.Tests.Support;

/// <summary>
/// A private mariadbd from Debian's mariadb-server, on a free 127.0.0.1 port with its own data directory,
/// started once for the test run. Each test takes a database of its own.
/// </summary>
public sealed class MariaDbServer : IAsyncLifetime
{
    public const string User = "slurm";
    public const string Password = "test-password";

    private readonly TemporaryDirectory _directory = new("mariadb");
    private readonly string? _defaultsFile;
    private Process? _server;
    private int _databaseCounter;

    public int Port { get; } = FreePort.Next();
    public int ProcessId => _server?.Id ?? throw new InvalidOperationException("mariadbd is not running");
    public string Socket => _directory.File("mysqld.sock");

    /// <summary>A server with no configuration file (the shared one).</summary>
    public MariaDbServer()
        : this(null)
    {
    }

    /// <summary>A server that reads <paramref name="defaultsFile"/> and no other my.cnf (the replication tests).</summary>
    public MariaDbServer(string? defaultsFile) => _defaultsFile = defaultsFile;

    public async Task InitializeAsync()
    {
        // Its own tmpdir: bootstrap temporary tables in the shared /tmp collided with other servers' being set up at once.
        await ProcessRunner.RunCheckedAsync("mariadb-install-db", "--no-defaults", $"--datadir={_directory.File("data")}",
            $"--tmpdir={_directory.Path}", "--user=root", "--auth-root-authentication-method=socket", "--skip-test-db");
        await StartAsync();
    }

    /// <summary>Starts mariadbd on the data directory made by <see cref="InitializeAsync"/> (again, after <see cref="KillAsync"/>).</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("mariadbd")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(_defaultsFile is null ? "--no-defaults" : $"--defaults-file={_defaultsFile}");
        foreach (string argument in new[]
        {
            $"--datadir={_directory.File("data")}", $"--socket={Socket}", $"--port={Port}", "--bind-address=127.0.0.1",
            "--user=root", "--skip-name-resolve", "--innodb-buffer-pool-size=128M", "--innodb-log-file-size=48M",
            "--innodb-flush-log-at-trx-commit=2", $"--log-error={_directory.File("error.log")}",
            $"--pid-file={_directory.File("mysqld.pid")}", $"--tmpdir={_directory.Path}",
        })
            start.ArgumentList.Add(argument);
        if (_defaultsFile is null)
            start.ArgumentList.Add("--skip-log-bin");
        _server?.Dispose();
        _server = Process.Start(start) ?? throw new InvalidOperationException("cannot start mariadbd");

        // The test user is created on each server by itself, outside the binary log, so that replicas do
        // not carry transactions of their own.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var ping = await RootSqlAsync($"SET SESSION sql_log_bin = 0; CREATE USER IF NOT EXISTS '{User}'@'127.0.0.1' IDENTIFIED BY '{Password}'; "
                + $"GRANT ALL ON *.* TO '{User}'@'127.0.0.1'");
            if (ping.ExitCode == 0)
                break;
            if (_server.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"mariadbd did not start: {ping.Combined}\n{File.ReadAllText(_directory.File("error.log"))}");
            await Task.Delay(250);
        }
    }

    /// <summary>SIGKILL, by PID: the server dies as in a crash.</summary>
    public async Task KillAsync()
    {
        if (_server is not { HasExited: false })
            return;
        _server.Kill();
        await _server.WaitForExitAsync();
    }

    /// <summary>Runs SQL as root over the server's socket with the mariadb client.</summary>
    public Task<ProcessResult> RootSqlAsync(string sql) =>
        ProcessRunner.RunAsync("mariadb", ["--no-defaults", $"--socket={Socket}", "-u", "root", "-e", sql]);

    /// <summary>A fresh, not yet existing database name: the daemon creates it as slurmdbd does.</summary>
    public string NewDatabaseName() => $"acct_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}";

    public MySqlConnection Connect(string database)
    {
        var connection = new MySqlConnection(new MySqlConnectionStringBuilder
        {
            Server = "127.0.0.1",
            Port = (uint)Port,
            UserID = User,
            Password = Password,
            Database = database,
            SslMode = MySqlSslMode.Disabled,
            CharacterSet = "utf8mb4",
        }.ConnectionString);
        connection.Open();
        return connection;
    }

    public async Task DisposeAsync()
    {
        await KillAsync();
        _server?.Dispose();
        _directory.Dispose();
    }
}
