using MySql.Data.MySqlClient;

namespace Accounting.Dbd.Storage;

/// <summary>
/// Where the database is and how long to wait for it, from slurmdbd.conf's Storage* keys.
/// ConnectTimeout/CommandTimeout/SpoolAfter are our own StorageParameters keys (README).
/// </summary>
public sealed record StorageOptions
{
    public required string Host { get; init; }
    public string? BackupHost { get; init; }
    public uint Port { get; init; } = 3306;
    public string? User { get; init; }
    public string? Password { get; init; }
    public required string Database { get; init; }
    public int ConnectTimeoutSeconds { get; init; } = 5;
    public int CommandTimeoutSeconds { get; init; } = 600;
    public int SpoolAfterSeconds { get; init; } = 10;
    public string? SslCa { get; init; }
    public string? SslCert { get; init; }
    public string? SslKey { get; init; }

    /// <summary>How long a handler waits for one storage call before answering ESLURM_DB_CONNECTION.</summary>
    public TimeSpan CallDeadline => TimeSpan.FromSeconds(ConnectTimeoutSeconds + CommandTimeoutSeconds + 5);

    /// <summary>
    /// How long a controller write waits for its group commit before it is spooled instead. Short, because
    /// a hung database must not hold a controller's agent queue for COMMAND_TIMEOUT; a write that commits
    /// after all is stored once, as replaying an already stored record changes nothing.
    /// </summary>
    public TimeSpan ControllerWriteDeadline => TimeSpan.FromSeconds(Math.Min(SpoolAfterSeconds, ConnectTimeoutSeconds + CommandTimeoutSeconds + 5));

    public DatabaseServer Primary => DatabaseServer.Parse(DatabaseServer.PrimaryRole, Host, Port);

    public DatabaseServer? Backup =>
        BackupHost is { Length: > 0 } name ? DatabaseServer.Parse(DatabaseServer.BackupRole, name, Port) : null;

    /// <summary>
    /// The health probe's connection: its own short timeouts (a hung server must be noticed in seconds,
    /// not after COMMAND_TIMEOUT) and no pooling, so that each probe really reaches the server.
    /// </summary>
    public string ProbeConnectionString(DatabaseServer server, int timeoutSeconds)
    {
        var builder = new MySqlConnectionStringBuilder(ConnectionString(server, withDatabase: false))
        {
            ConnectionTimeout = (uint)timeoutSeconds,
            DefaultCommandTimeout = (uint)timeoutSeconds,
            Pooling = false,
        };
        return builder.ConnectionString;
    }

    public string ConnectionString(DatabaseServer server, bool withDatabase = true)
    {
        var builder = new MySqlConnectionStringBuilder
        {
            Server = server.Host,
            Port = server.Port,
            UserID = User ?? "",
            Password = Password ?? "",
            ConnectionTimeout = (uint)ConnectTimeoutSeconds,
            DefaultCommandTimeout = (uint)CommandTimeoutSeconds,
            CharacterSet = "utf8mb4",
            Pooling = true,
            MaximumPoolSize = 64,
            AllowUserVariables = false,
        };
        if (withDatabase)
            builder.Database = Database;
        if (SslCa is not null || SslCert is not null)
        {
            builder.SslMode = MySqlSslMode.VerifyCA;
            builder.SslCa = SslCa ?? "";
            builder.SslCert = SslCert ?? "";
            builder.SslKey = SslKey ?? "";
        }
        else
        {
            builder.SslMode = MySqlSslMode.Disabled;
        }
        return builder.ConnectionString;
    }
}
