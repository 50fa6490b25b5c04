using MySql.Data.MySqlClient;

namespace Accounting.Dbd.Storage;

/// <summary>
/// Knows which database host to use and opens connections to it. Today that is StorageHost; the
/// failover issue teaches it StorageBackupHost and read_only, which is why nothing else builds
/// connection strings.
/// </summary>
public sealed class DatabaseLocator(StorageOptions options)
{
    static DatabaseLocator()
    {
        // Columns are snake_case (as in slurmdbd's schema), row classes PascalCase.
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public StorageOptions Options { get; } = options;

    public string WritableHost => Options.Host;

    public MySqlConnection OpenConnection() => Open(withDatabase: true);

    /// <summary>A connection without a default database, to create it on first start.</summary>
    public MySqlConnection OpenServerConnection() => Open(withDatabase: false);

    private MySqlConnection Open(bool withDatabase)
    {
        var connection = new MySqlConnection(Options.ConnectionString(WritableHost, withDatabase));
        try
        {
            connection.Open();
            return connection;
        }
        catch (MySqlException exception)
        {
            connection.Dispose();
            throw new StorageUnavailableException($"cannot connect to {WritableHost}:{Options.Port}: {exception.Message}", exception);
        }
    }
}
