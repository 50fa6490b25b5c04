using System.Collections.Concurrent;
using System.Diagnostics;
using Dapper;
using MySql.Data.MySqlClient;

namespace Accounting.Dbd.Storage;

/// <summary>
/// Group commit of controller writes (issue 5 item 5). The units of all controller connections (one message,
/// or one DBD_SEND_MULT_MSG batch) run one after another on this thread, in one transaction on one
/// connection, and commit together: one COMMIT and one log flush for many records. A group takes units for
/// CommitDelay after its first one (with 0, whatever queued while the previous group ran) or until it is
/// full. A unit is answered only once its group has committed, so an acknowledged record is never lost
/// (slurmdbd with CommitDelay acknowledges first and loses what it had not committed). A unit that throws is
/// rolled back to its savepoint and answered with its own exception; a failed commit answers every unit of
/// the group with <see cref="StorageUnavailableException"/>, and nothing of the group is stored.
/// </summary>
public sealed class GroupCommit : IDisposable
{
    /// <summary>Units in one transaction at most; bounds its undo log and the wait of its first unit.</summary>
    private const int MaxUnits = 256;

    /// <summary>A connection idle longer than this is replaced rather than trusted (wait_timeout, restarts).</summary>
    private static readonly TimeSpan IdleReuse = TimeSpan.FromSeconds(30);

    private const string UnitSavepoint = "controller_unit";

    private readonly DatabaseLocator _locator;
    private readonly TimeSpan _commitDelay;
    private readonly BlockingCollection<Unit> _queue = new();
    private readonly Thread _thread;
    private MySqlConnection? _connection;
    private long _generation;
    private long _lastUsed;

    public GroupCommit(DatabaseLocator locator, TimeSpan commitDelay)
    {
        _locator = locator;
        _commitDelay = commitDelay;
        _thread = new Thread(RunGroups) { IsBackground = true, Name = "group-commit" };
        _thread.Start();
    }

    /// <summary>
    /// Runs <paramref name="work"/> in the current group's transaction and returns once that group has
    /// committed. Past the deadline the caller gets <see cref="StorageUnavailableException"/>; a unit that has
    /// not started by then never starts, one that has may still be stored (a controller re-sends it, and a
    /// re-sent record changes nothing).
    /// </summary>
    public async Task RunAsync(Action<SqlScope> work, TimeSpan deadline)
    {
        var unit = new Unit(work);
        _queue.Add(unit);
        try
        {
            await unit.Done.Task.WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            Volatile.Write(ref unit.Abandoned, 1);
            throw new StorageUnavailableException($"database did not commit within {deadline.TotalSeconds:0.#} s", exception);
        }
    }

    /// <summary>Undoes what the running unit wrote so far; the unit stays in its group.</summary>
    public static void RollbackUnit(SqlScope scope) =>
        scope.Connection.Execute($"ROLLBACK TO SAVEPOINT {UnitSavepoint}", transaction: scope.Transaction);

    private void RunGroups()
    {
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            if (Volatile.Read(ref first.Abandoned) == 0)
                RunGroup(first);
        }
    }

    private void RunGroup(Unit first)
    {
        MySqlTransaction transaction;
        try
        {
            transaction = Connection().BeginTransaction();
        }
        catch (Exception exception)
        {
            DropConnection();
            first.Done.TrySetException(Unavailable(exception));
            return;
        }
        var scope = new SqlScope(_connection!, transaction);
        var members = new List<Unit>();
        long closeAt = Stopwatch.GetTimestamp() + (long)(_commitDelay.TotalSeconds * Stopwatch.Frequency);
        bool usable = true;
        for (var unit = first; ;)
        {
            if (Volatile.Read(ref unit.Abandoned) == 0)
            {
                usable = Execute(scope, unit, members);
                if (!usable || members.Count >= MaxUnits)
                    break;
            }
            var wait = TimeSpan.FromSeconds(Math.Max(0, closeAt - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
            if (!_queue.TryTake(out unit!, wait))
                break;
        }
        Finish(transaction, members, usable);
    }

    /// <summary>Runs one unit behind a savepoint; false when the connection can no longer be used.</summary>
    private static bool Execute(SqlScope scope, Unit unit, List<Unit> members)
    {
        try
        {
            scope.Connection.Execute($"SAVEPOINT {UnitSavepoint}", transaction: scope.Transaction);
        }
        catch (Exception exception)
        {
            unit.Done.TrySetException(Unavailable(exception));
            return false;
        }
        try
        {
            unit.Work(scope);
            members.Add(unit);
            return true;
        }
        catch (Exception exception)
        {
            try
            {
                RollbackUnit(scope);
            }
            catch (Exception)
            {
                unit.Done.TrySetException(exception);
                return false;
            }
            unit.Done.TrySetException(exception);
            return true;
        }
    }

    private void Finish(MySqlTransaction transaction, List<Unit> members, bool usable)
    {
        Exception? failure = usable ? null : new StorageUnavailableException("the database connection failed during a group of controller writes");
        // As a session's transaction: nothing is committed on a server the daemon has failed over from.
        if (failure is null && !_locator.IsCurrent(_generation))
            failure = new StorageUnavailableException($"the database changed to {_locator.Current} during a group of controller writes; rolled back");
        if (failure is null)
        {
            try
            {
                transaction.Commit();
            }
            catch (Exception exception)
            {
                failure = Unavailable(exception);
            }
        }
        transaction.Dispose();
        if (failure is not null)
            DropConnection();
        else
            _lastUsed = Stopwatch.GetTimestamp();
        foreach (var member in members)
        {
            if (failure is null)
                member.Done.TrySetResult();
            else
                member.Done.TrySetException(failure);
        }
    }

    private MySqlConnection Connection()
    {
        if (_connection is not null && (Stopwatch.GetElapsedTime(_lastUsed) > IdleReuse || !_locator.IsCurrent(_generation)))
            DropConnection();
        return _connection ??= _locator.OpenConnection(out _generation);
    }

    private void DropConnection()
    {
        _connection?.Dispose();
        _connection = null;
    }

    private static StorageUnavailableException Unavailable(Exception exception) =>
        exception as StorageUnavailableException ?? new StorageUnavailableException($"commit of controller writes failed: {exception.Message}", exception);

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(2));
    }

    private sealed class Unit(Action<SqlScope> work)
    {
        public Action<SqlScope> Work { get; } = work;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Abandoned;
    }
}
