using Dapper;
using MySql.Data.MySqlClient;

namespace Accounting.Tests.Support;

/// <summary>
/// A MariaDB primary and a read-only replica with GTID replication, each a private mariadbd on a free
/// 127.0.0.1 port, configured and wired with the operator's own files in sql/replication (primary.cnf,
/// replica.cnf, primary.sql, replica.sql; promote.sql and rejoin.sql for the failover steps).
/// </summary>
public sealed class ReplicatedMariaDb : IAsyncDisposable
{
    private const string ReplicationPassword = "repl-password";

    private static readonly string Scripts = Path.Combine(AppContext.BaseDirectory, "Replication");

    private ReplicatedMariaDb()
    {
        Primary = new MariaDbServer(Path.Combine(Scripts, "primary.cnf"));
        Replica = new MariaDbServer(Path.Combine(Scripts, "replica.cnf"));
    }

    /// <summary>Configured as the primary (StorageHost); after a promotion of the replica, the old primary.</summary>
    public MariaDbServer Primary { get; }

    /// <summary>Configured as the replica (StorageBackupHost).</summary>
    public MariaDbServer Replica { get; }

    public static async Task<ReplicatedMariaDb> StartAsync()
    {
        var servers = new ReplicatedMariaDb();
        try
        {
            await Task.WhenAll(servers.Primary.InitializeAsync(), servers.Replica.InitializeAsync());
            await RunScriptAsync(servers.Primary, "primary.sql", servers.Replica);
            await RunScriptAsync(servers.Replica, "replica.sql", servers.Primary);
            await WaitForReplicationAsync(servers.Replica);
            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    /// <summary>promote.sql on the replica: it becomes a writable primary.</summary>
    public Task PromoteReplicaAsync() => RunScriptAsync(Replica, "promote.sql");

    /// <summary>rejoin.sql on <paramref name="oldPrimary"/>: it becomes a read-only replica of <paramref name="newPrimary"/>.</summary>
    public async Task RejoinAsync(MariaDbServer oldPrimary, MariaDbServer newPrimary)
    {
        await RunScriptAsync(oldPrimary, "rejoin.sql", newPrimary);
        await WaitForReplicationAsync(oldPrimary);
    }

    /// <summary>promote.sql on <paramref name="server"/> (the old primary, once it has rejoined and caught up).</summary>
    public Task PromoteAsync(MariaDbServer server) => RunScriptAsync(server, "promote.sql");

    /// <summary>Waits until <paramref name="replica"/> has applied everything <paramref name="source"/> logged so far.</summary>
    public static async Task CatchUpAsync(MariaDbServer source, MariaDbServer replica)
    {
        using var sourceConnection = Open(source);
        string position = sourceConnection.ExecuteScalar<string>("SELECT @@global.gtid_binlog_pos") ?? "";
        using var replicaConnection = Open(replica);
        // Generous: a replica that lost its primary reconnects on MASTER_CONNECT_RETRY, and a loaded machine
        // applies slowly; this waits for an outcome, it does not time anything.
        int waited = replicaConnection.ExecuteScalar<int>("SELECT MASTER_GTID_WAIT(@position, 120)", new { position }, commandTimeout: 130);
        Assert.True(waited == 0, $"the replica did not reach {position}");
    }

    public static MySqlConnection Open(MariaDbServer server, string? database = null)
    {
        var connection = database is null ? ServerConnection(server) : server.Connect(database);
        // One pool per test database would keep connections to servers that are killed and restarted.
        MySqlConnection.ClearPool(connection);
        return connection;
    }

    private static MySqlConnection ServerConnection(MariaDbServer server)
    {
        var connection = new MySqlConnection(new MySqlConnectionStringBuilder
        {
            Server = "127.0.0.1",
            Port = (uint)server.Port,
            UserID = MariaDbServer.User,
            Password = MariaDbServer.Password,
            SslMode = MySqlSslMode.Disabled,
        }.ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Runs one of the operator's scripts with its placeholders filled in, as an operator would.</summary>
    private static async Task RunScriptAsync(MariaDbServer server, string script, MariaDbServer? primary = null)
    {
        string sql = (await File.ReadAllTextAsync(Path.Combine(Scripts, script)))
            .Replace("{{REPLICATION_HOSTS}}", "127.0.0.1")
            .Replace("{{REPLICATION_PASSWORD}}", ReplicationPassword)
            .Replace("{{PRIMARY_HOST}}", "127.0.0.1")
            .Replace("{{PRIMARY_PORT}}", primary?.Port.ToString() ?? "");
        var result = await server.RootSqlAsync(sql);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{script} failed: {result.Combined}");
    }

    private static async Task WaitForReplicationAsync(MariaDbServer replica)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string status = "";
        while (DateTime.UtcNow < deadline)
        {
            var result = await replica.RootSqlAsync("SHOW SLAVE STATUS\\G");
            status = result.Combined;
            if (status.Contains("Slave_IO_Running: Yes") && status.Contains("Slave_SQL_Running: Yes"))
                return;
            await Task.Delay(200);
        }
        throw new InvalidOperationException($"replication did not start: {status}");
    }

    public async ValueTask DisposeAsync()
    {
        await Replica.DisposeAsync();
        await Primary.DisposeAsync();
    }
}
