using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using MySql.Data.MySqlClient;

namespace Accounting.Dbd.Storage;

/// <summary>
/// The one place that decides which database server the daemon uses (StorageHost, the primary, or
/// StorageBackupHost) and opens connections to it. The rules (README, Failover):
/// <list type="bullet">
/// <item>Writes go only to a server whose <c>@@global.read_only</c> is OFF, checked on every write
/// connection: a daemon user with READ ONLY ADMIN could otherwise write to a replica.</item>
/// <item>Reads go to the current server even when it is read-only.</item>
/// <item>The primary is preferred. When it is unreachable, hung or read-only and the backup is better
/// (writable, or at least reachable) the daemon moves to the backup.</item>
/// <item>It never moves back on its own to a primary that returns: that primary may be stale, and
/// writing to it is split-brain. It returns only when the backup, having been writable, is demoted
/// (read_only turned ON) while the primary is writable, or when an administrator asks
/// (<see cref="ReturnToPrimary"/>: DBD_RECONFIG or SIGHUP).</item>
/// </list>
/// Every switch is logged with its reason. Callers on storage workers open connections here; the
/// health monitor (<see cref="DatabaseMonitor"/>) calls <see cref="Check"/> every second.
/// </summary>
public sealed class DatabaseLocator
{
    /// <summary>A failed server is not probed again by every waiting request: one look per second is enough.</summary>
    private static readonly TimeSpan ReevaluationInterval = TimeSpan.FromSeconds(1);

    private readonly object _lock = new();
    private readonly ILogger<DatabaseLocator> _logger;
    private readonly DatabaseServer _primary;
    private readonly DatabaseServer? _backup;
    private readonly int _probeTimeoutSeconds;
    private volatile Choice _current;
    private bool _backupWasWritable;
    private long _evaluatedAt;

    static DatabaseLocator()
    {
        // Columns are snake_case (as in slurmdbd's schema), row classes PascalCase.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public DatabaseLocator(StorageOptions options, ILogger<DatabaseLocator> logger)
    {
        Options = options;
        _logger = logger;
        _primary = options.Primary;
        _backup = options.Backup;
        _probeTimeoutSeconds = Math.Clamp(options.ConnectTimeoutSeconds, 1, 2);
        _current = new Choice(_primary, ServerState.NotYetSeen, 0);
    }

    private enum ServerHealth
    {
        NotYetSeen,
        Unreachable,
        ReadOnly,
        Writable,
    }

    private sealed record ServerState(ServerHealth Health, string Reason)
    {
        public static readonly ServerState NotYetSeen = new(ServerHealth.NotYetSeen, "not yet seen");
        public static readonly ServerState Writable = new(ServerHealth.Writable, "writable");
        public static readonly ServerState ReadOnly = new(ServerHealth.ReadOnly, "read-only");

        public static ServerState Unreachable(string reason) => new(ServerHealth.Unreachable, $"unreachable ({reason})");
    }

    /// <summary>The server in use and what was last seen of it; a new generation at every switch.</summary>
    private sealed record Choice(DatabaseServer Server, ServerState State, long Generation);

    public StorageOptions Options { get; }

    /// <summary>The server reads go to, and writes when it is writable.</summary>
    public DatabaseServer Current => _current.Server;

    public bool HasBackup => _backup is not null;

    /// <summary>A connection for changes, to a server whose read_only is OFF; else StorageUnavailableException.</summary>
    public MySqlConnection OpenConnection() => Open(withDatabase: true, forWriting: true, out _);

    /// <summary>
    /// As <see cref="OpenConnection()"/>, with the generation of the choice it was opened under: a
    /// transaction must not commit after the daemon has moved to another server (<see cref="IsCurrent"/>).
    /// </summary>
    public MySqlConnection OpenConnection(out long generation) => Open(withDatabase: true, forWriting: true, out generation);

    /// <summary>A connection for reads, to the current server, writable or not.</summary>
    public MySqlConnection OpenReadConnection() => Open(withDatabase: true, forWriting: false, out _);

    /// <summary>A writable connection without a default database, to create it on first start.</summary>
    public MySqlConnection OpenServerConnection() => Open(withDatabase: false, forWriting: true, out _);

    public bool IsCurrent(long generation) => _current.Generation == generation;

    /// <summary>
    /// Chooses the server to start with. Both servers writable means one of them is a stale primary
    /// that came back after a promotion; the daemon does not guess which holds the newer data.
    /// </summary>
    public void ChooseAtStart()
    {
        if (_backup is null)
            return;
        lock (_lock)
        {
            var primary = Probe(_primary);
            var backup = Probe(_backup);
            if (primary.Health == ServerHealth.Writable && backup.Health == ServerHealth.Writable)
                throw new StorageUnavailableException(
                    $"both {_primary} and {_backup} are writable (read_only is OFF on both): one is a stale primary; "
                    + "set read_only=1 on it (sql/replication/rejoin.sql) before starting");
            Evaluate(primary);
        }
    }

    /// <summary>The health monitor's look at the current server, every second.</summary>
    public void Check()
    {
        var choice = _current;
        var state = Probe(choice.Server);
        lock (_lock)
        {
            if (_current.Generation == choice.Generation)
                Evaluate(state);
        }
    }

    /// <summary>
    /// An administrator's request to use the primary again (DBD_RECONFIG, SIGHUP). Honoured when the
    /// backup is not writable (a replica that was never promoted, or is gone) and the primary answers.
    /// A writable backup holds the newest data; to leave it, demote it (read_only=1) and the daemon
    /// returns by itself. Returns what was done, for the log and the reply.
    /// </summary>
    public string ReturnToPrimary()
    {
        if (_backup is null)
            return $"only {_primary} is configured";
        lock (_lock)
        {
            var current = _current;
            if (current.Server.IsPrimary)
                return $"already using {_primary}";
            var backup = Probe(_backup);
            if (backup.Health == ServerHealth.Writable)
            {
                _backupWasWritable = true;
                SetState(backup);
                string stay = $"stays on {_backup}: it is writable (promoted); set read_only=1 on it to move back to {_primary}";
                _logger.LogWarning("database: reconfigure: {Outcome}", stay);
                return stay;
            }
            var primary = Probe(_primary);
            if (primary.Health == ServerHealth.Unreachable)
            {
                string stay = $"stays on {_backup}: {_primary} is {primary.Reason}";
                _logger.LogWarning("database: reconfigure: {Outcome}", stay);
                return stay;
            }
            SwitchTo(_primary, primary, $"administrator reconfigure; {_backup} is {backup.Reason}");
            return $"moved to {_primary}";
        }
    }

    /// <summary>Drops idle pooled connections to both servers (a switch, and tests' clean-up).</summary>
    public void ClearPools()
    {
        ClearPool(_primary);
        if (_backup is not null)
            ClearPool(_backup);
    }

    private MySqlConnection Open(bool withDatabase, bool forWriting, out long generation)
    {
        for (int attempt = 0; ; attempt++)
        {
            var choice = _current;
            generation = choice.Generation;
            MySqlConnection connection;
            try
            {
                connection = Connect(choice.Server, withDatabase);
            }
            catch (StorageUnavailableException exception) when (attempt == 0 && Reevaluate(choice, ServerState.Unreachable(exception.Message)))
            {
                continue;
            }
            if (!forWriting)
                return connection;

            if (!IsReadOnly(connection, choice.Server))
            {
                if (choice.State.Health != ServerHealth.Writable)
                    Reevaluate(choice, ServerState.Writable);
                return connection;
            }
            connection.Dispose();
            if (attempt == 0 && Reevaluate(choice, ServerState.ReadOnly))
                continue;
            throw new StorageUnavailableException($"no writable database: {_current.Server} is read-only");
        }
    }

    private MySqlConnection Connect(DatabaseServer server, bool withDatabase)
    {
        var connection = new MySqlConnection(Options.ConnectionString(server, withDatabase));
        try
        {
            connection.Open();
            return connection;
        }
        catch (Exception exception) when (exception is MySqlException or TimeoutException)
        {
            connection.Dispose();
            throw new StorageUnavailableException($"cannot connect to {server.Host}:{server.Port} ({server.Role}): {exception.Message}", exception);
        }
    }

    private static bool IsReadOnly(MySqlConnection connection, DatabaseServer server)
    {
        try
        {
            return connection.ExecuteScalar<bool>("SELECT @@global.read_only");
        }
        catch (MySqlException exception)
        {
            connection.Dispose();
            throw new StorageUnavailableException($"{server} did not say whether it is read-only: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// A request saw <paramref name="seen"/> on the server of <paramref name="choice"/>. Returns true when
    /// the daemon now uses another server (so the request may try once more there).
    /// </summary>
    private bool Reevaluate(Choice choice, ServerState seen)
    {
        lock (_lock)
        {
            if (_current.Generation != choice.Generation)
                return true;
            bool recentlyLooked = Stopwatch.GetElapsedTime(_evaluatedAt) < ReevaluationInterval;
            if (recentlyLooked && seen.Health == _current.State.Health)
                return false;
            Evaluate(seen);
            return _current.Generation != choice.Generation;
        }
    }

    /// <summary>What the current server's state means for the choice; called under the lock.</summary>
    private void Evaluate(ServerState state)
    {
        _evaluatedAt = Stopwatch.GetTimestamp();
        var current = _current.Server;
        if (_backup is null || state.Health == ServerHealth.NotYetSeen)
        {
            SetState(state);
            return;
        }
        if (current.IsPrimary)
        {
            if (state.Health == ServerHealth.Writable)
            {
                SetState(state);
                return;
            }
            var backup = Probe(_backup);
            if (backup.Health > state.Health)
                SwitchTo(_backup, backup, $"{_primary} is {state.Reason}; {_backup} is {backup.Reason}");
            else
                SetState(state);
            return;
        }
        if (state.Health == ServerHealth.Writable)
        {
            _backupWasWritable = true;
            SetState(state);
            return;
        }
        if (state.Health == ServerHealth.ReadOnly && _backupWasWritable)
        {
            var primary = Probe(_primary);
            if (primary.Health == ServerHealth.Writable)
            {
                SwitchTo(_primary, primary, $"{_backup} was demoted (read_only is ON) and {_primary} is writable");
                return;
            }
        }
        SetState(state);
    }

    private void SetState(ServerState state)
    {
        var current = _current;
        if (current.State.Health == state.Health)
            return;
        _current = current with { State = state };
        switch (state.Health)
        {
            case ServerHealth.Writable:
                _logger.LogInformation("database: {Server} is writable: reads and writes go to it", current.Server);
                break;
            case ServerHealth.ReadOnly:
                _logger.LogWarning("database: {Server} is read-only: reads are served from it, writes are refused (no writable database)", current.Server);
                break;
            case ServerHealth.Unreachable:
                _logger.LogError("database: {Server} is {Reason}", current.Server, state.Reason);
                break;
        }
    }

    private void SwitchTo(DatabaseServer server, ServerState state, string reason)
    {
        var old = _current;
        _current = new Choice(server, state, old.Generation + 1);
        _backupWasWritable = !server.IsPrimary && state.Health == ServerHealth.Writable;
        _evaluatedAt = Stopwatch.GetTimestamp();
        _logger.LogWarning("database: switching from {Old} to {New} ({State}): {Reason}", old.Server, server, state.Reason, reason);
        // Pooled connections to the server left behind must not serve a later request.
        ClearPool(old.Server);
    }

    private ServerState Probe(DatabaseServer server)
    {
        try
        {
            using var connection = new MySqlConnection(Options.ProbeConnectionString(server, _probeTimeoutSeconds));
            connection.Open();
            return connection.ExecuteScalar<bool>("SELECT @@global.read_only") ? ServerState.ReadOnly : ServerState.Writable;
        }
        catch (Exception exception) when (exception is MySqlException or TimeoutException or InvalidOperationException)
        {
            return ServerState.Unreachable(exception.Message);
        }
    }

    private void ClearPool(DatabaseServer server)
    {
        foreach (bool withDatabase in new[] { true, false })
        {
            using var pooled = new MySqlConnection(Options.ConnectionString(server, withDatabase));
            MySqlConnection.ClearPool(pooled);
        }
    }
}
