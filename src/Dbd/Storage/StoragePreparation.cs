using MySql.Data.MySqlClient;

namespace Accounting.Dbd.Storage;

/// <summary>
/// Migrations and first-start rows (<see cref="StorageStartup"/>), run before the daemon listens, or, when a
/// daemon with a spool starts while its database is away, by the replayer before it stores anything.
/// </summary>
public sealed class StoragePreparation(StorageStartup startup, IReadOnlyList<string> defaultQosNames)
{
    private volatile bool _prepared;

    public bool Prepared => _prepared;

    /// <summary>Throws StorageUnavailableException when no database answers, MigrationException for a schema it must not run on.</summary>
    public void Run()
    {
        try
        {
            startup.Run(defaultQosNames);
        }
        catch (MySqlException exception) when (StorageSession.IsConnectionFailure(exception))
        {
            // A server that accepts connections but does not answer (hung, or a table locked by a backup)
            // times out here: the same as an unreachable one, not a crash of the daemon at start-up.
            throw new StorageUnavailableException($"database did not answer while preparing: {exception.Message}", exception);
        }
        _prepared = true;
    }
}
