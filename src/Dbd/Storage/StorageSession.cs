using Accounting.Model.Records;
using MySql.Data.MySqlClient;

namespace Accounting.Dbd.Storage;

/// <summary>
/// The database side of one DBD connection. slurmdbd keeps one open transaction per connection: changes
/// wait for DBD_FINI commit, and later reads on the same connection see them (records spec §1.5). So the
/// first change opens a connection and a transaction that stay until commit or rollback; reads use that
/// connection while it is open and a pooled one otherwise. Reads outside a transaction go to the
/// locator's current server (a read-only replica too); a transaction stays on the one writable server it
/// began on and is not committed once the daemon has moved to another (no write after a failover lands on
/// the server left behind). Controller writes instead run as units of the <see cref="GroupCommit"/>
/// (<see cref="GroupedAsync"/>): their reads and changes join the group's transaction.
/// </summary>
public sealed class StorageSession(DatabaseLocator locator, StorageWorkers workers, GroupCommit group) : IAsyncDisposable
{
    /// <summary>
    /// The group transaction of the unit this flow is running, if any. An AsyncLocal, not a field: it follows
    /// the unit's own awaits and nothing else, so a request that comes after an abandoned unit never joins it.
    /// </summary>
    private static readonly AsyncLocal<(StorageSession Owner, SqlScope Scope)?> Unit = new();

    private MySqlConnection? _connection;
    private MySqlTransaction? _transaction;
    private long _generation;
    private readonly List<UpdateObject> _pendingUpdates = [];

    public bool HasPendingChanges => _transaction is not null;

    /// <summary>
    /// What registered controllers must learn once the open changes commit (the reference's update
    /// list): handlers queue one object per change; a rollback drops them.
    /// </summary>
    public void QueueUpdate(UpdateObject update) => _pendingUpdates.Add(update);

    private SqlScope? UnitScope => Unit.Value is { } unit && unit.Owner == this ? unit.Scope : null;

    /// <summary>
    /// Runs <paramref name="unit"/> as one unit of the group commit and returns once its group has committed.
    /// The unit runs on the group's thread; its storage calls run inline there, so a MULT batch of hundreds of
    /// messages is one trip instead of one per message. With changes of its own open (not a controller's
    /// way) the session keeps them: the unit then runs in that transaction and its caller commits.
    /// </summary>
    public async Task<T> GroupedAsync<T>(Func<Task<T>> unit)
    {
        if (_transaction is not null || UnitScope is not null)
            return await unit().ConfigureAwait(false);
        T result = default!;
        await group.RunAsync(scope =>
        {
            Unit.Value = (this, scope);
            try
            {
                result = unit().GetAwaiter().GetResult();
            }
            finally
            {
                Unit.Value = null;
            }
        }, locator.Options.ControllerWriteDeadline).ConfigureAwait(false);
        return result;
    }

    public Task<T> ReadAsync<T>(Func<SqlScope, T> query) => UnitScope is { } unitScope ? Inline(() => query(unitScope)) : RunAsync(() =>
    {
        if (_transaction is not null)
            return query(new SqlScope(_connection!, _transaction));
        using var connection = locator.OpenReadConnection();
        return query(new SqlScope(connection, null));
    });

    public Task<T> ChangeAsync<T>(Func<SqlScope, T> change) => UnitScope is { } unitScope ? Inline(() => change(unitScope)) : RunAsync(() =>
    {
        if (_transaction is null)
        {
            _connection = locator.OpenConnection(out _generation);
            _transaction = _connection.BeginTransaction();
        }
        return change(new SqlScope(_connection!, _transaction));
    });

    /// <summary>
    /// Commits the open changes; returns the updates queued with them, for the controllers. Inside a unit of the group commit nothing is committed yet: the updates wait for the caller's commit
    /// after the group (which then has no transaction to commit and only hands them out).
    /// </summary>
    public async Task<IReadOnlyList<UpdateObject>> CommitAsync()
    {
        if (UnitScope is not null)
            return [];
        if (_transaction is not null)
        {
            await RunAsync(() =>
            {
                if (!locator.IsCurrent(_generation))
                {
                    Close();
                    throw new StorageUnavailableException($"the database changed to {locator.Current} during the transaction; rolled back");
                }
                _transaction?.Commit();
                Close();
                return true;
            }).ConfigureAwait(false);
        }
        var committed = _pendingUpdates.ToList();
        _pendingUpdates.Clear();
        return committed;
    }

    /// <summary>Inside a unit of the group commit only the unit's own changes are undone.</summary>
    public Task RollbackAsync()
    {
        if (UnitScope is { } unitScope)
            return Inline(() =>
            {
                GroupCommit.RollbackUnit(unitScope);
                return true;
            });
        _pendingUpdates.Clear();
        if (_connection is null)
            return Task.CompletedTask;
        return RunAsync(() =>
        {
            Close();
            return true;
        });
    }

    /// <summary>A call made inside a unit: already on the group's thread (or the unit's own flow), so run it now.</summary>
    private static Task<T> Inline<T>(Func<T> work)
    {
        try
        {
            return Task.FromResult(work());
        }
        catch (MySqlException exception) when (IsConnectionFailure(exception))
        {
            return Task.FromException<T>(new StorageUnavailableException(exception.Message, exception));
        }
        catch (Exception exception)
        {
            return Task.FromException<T>(exception);
        }
    }

    private async Task<T> RunAsync<T>(Func<T> work)
    {
        try
        {
            return await workers.RunAsync(work, locator.Options.CallDeadline).ConfigureAwait(false);
        }
        catch (StorageUnavailableException)
        {
            // The open transaction may still be in use by a worker that is stuck; abandon it rather than
            // share the connection. Its server-side transaction rolls back when the connection drops.
            _connection = null;
            _transaction = null;
            throw;
        }
        catch (MySqlException exception) when (IsConnectionFailure(exception))
        {
            Close();
            throw new StorageUnavailableException(exception.Message, exception);
        }
    }

    /// <summary>
    /// Lost connections (2006, 2013; 1053 and 1927 from a server shutting down), and a server that is
    /// read-only (1290 ER_OPTION_PREVENTS_STATEMENT, 1792
    /// ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION): for a write, a read-only server is no database at all.
    /// </summary>
    internal static bool IsConnectionFailure(MySqlException exception) =>
        exception.Number is (int)MySqlErrorCode.UnableToConnectToHost or 0 or 2006 or 2013 or 1053 or 1927 or 1290 or 1792;

    /// <summary>Disposing a connection with an open transaction rolls it back.</summary>
    private void Close()
    {
        _transaction?.Dispose();
        _connection?.Dispose();
        _transaction = null;
        _connection = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is null)
            return;
        try
        {
            await RollbackAsync().ConfigureAwait(false);
        }
        catch (StorageUnavailableException)
        {
            // Nothing to roll back on a database that is gone.
        }
    }
}
