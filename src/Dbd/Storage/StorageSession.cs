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
/// the server left behind).
/// </summary>
public sealed class StorageSession(DatabaseLocator locator, StorageWorkers workers) : IAsyncDisposable
{
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

    public Task<T> ReadAsync<T>(Func<SqlScope, T> query) => RunAsync(() =>
    {
        if (_transaction is not null)
            return query(new SqlScope(_connection!, _transaction));
        using var connection = locator.OpenReadConnection();
        return query(new SqlScope(connection, null));
    });

    public Task<T> ChangeAsync<T>(Func<SqlScope, T> change) => RunAsync(() =>
    {
        if (_transaction is null)
        {
            _connection = locator.OpenConnection(out _generation);
            _transaction = _connection.BeginTransaction();
        }
        return change(new SqlScope(_connection!, _transaction));
    });

    /// <summary>Commits the open changes; returns the updates queued with them, for the controllers.</summary>
    public async Task<IReadOnlyList<UpdateObject>> CommitAsync()
    {
        await RunAsync(() =>
        {
            if (_transaction is not null && !locator.IsCurrent(_generation))
            {
                Close();
                throw new StorageUnavailableException($"the database changed to {locator.Current} during the transaction; rolled back");
            }
            _transaction?.Commit();
            Close();
            return true;
        }).ConfigureAwait(false);
        var committed = _pendingUpdates.ToList();
        _pendingUpdates.Clear();
        return committed;
    }

    public Task RollbackAsync()
    {
        _pendingUpdates.Clear();
        return RunAsync(() =>
        {
            Close();
            return true;
        });
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
    private static bool IsConnectionFailure(MySqlException exception) =>
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
