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
    private Process? _server;
    private int _databaseCounter;

    public int Port { get; } = FreePort.Next();
    public int ProcessId => _server?.Id ?? throw new InvalidOperationException("mariadbd is not running");
    public string Socket => _directory.File("mysqld.sock");

    public async Task InitializeAsync()
    {
        string data = _directory.File("data");
        await ProcessRunner.RunCheckedAsync("mariadb-install-db", "--no-defaults", $"--datadir={data}", "--user=root",
            "--auth-root-authentication-method=socket", "--skip-test-db");
        await StartAsync();
    }

    /// <summary>Starts mariadbd (again) on the same port and data directory, and waits until it answers.</summary>
    public async Task StartAsync()
    {
        string data = _directory.File("data");
        _server?.Dispose();
        _server = Process.Start(new ProcessStartInfo("mariadbd")
        {
            ArgumentList =
            {
                "--no-defaults", $"--datadir={data}", $"--socket={Socket}", $"--port={Port}", "--bind-address=127.0.0.1",
                "--user=root", "--skip-name-resolve", "--innodb-buffer-pool-size=128M", "--innodb-log-file-size=48M",
                "--innodb-flush-log-at-trx-commit=2", "--skip-log-bin", $"--log-error={_directory.File("error.log")}",
                $"--pid-file={_directory.File("mysqld.pid")}", $"--tmpdir={_directory.Path}",
            },
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("cannot start mariadbd");

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var ping = await ProcessRunner.RunAsync("mariadb", ["--no-defaults", $"--socket={Socket}", "-u", "root", "-e",
                $"CREATE USER IF NOT EXISTS '{User}'@'127.0.0.1' IDENTIFIED BY '{Password}'; GRANT ALL ON *.* TO '{User}'@'127.0.0.1'"]);
            if (ping.ExitCode == 0)
                break;
            if (_server.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"mariadbd did not start: {ping.Combined}\n{File.ReadAllText(_directory.File("error.log"))}");
            await Task.Delay(250);
        }
    }

    /// <summary>Stops mariadbd cleanly (SIGTERM): clients get "connection refused" until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_server is not { HasExited: false } server)
            return;
        Process.Start("kill", ["-TERM", $"{server.Id}"])!.WaitForExit();
        await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

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
        if (_server is { HasExited: false })
        {
            _server.Kill();
            await _server.WaitForExitAsync();
        }
        _server?.Dispose();
        _directory.Dispose();
    }
}
