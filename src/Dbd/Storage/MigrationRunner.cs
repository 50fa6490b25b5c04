using Dapper;
using Microsoft.Extensions.Logging;
using MySql.Data.MySqlClient;

namespace Accounting.Dbd.Storage;

/// <summary>A schema that this daemon must not run against.</summary>
public sealed class MigrationException(string message) : Exception(message);

/// <summary>
/// Brings the database to the schema this build carries: creates it if missing (as slurmdbd does),
/// applies the migrations not yet recorded in schema_version, and refuses to go on if an applied one was
/// edited or the database knows migrations this build does not.
/// </summary>
public sealed class MigrationRunner(DatabaseLocator locator, ILogger<MigrationRunner> logger)
{
    private const string LockName = "slurmdbd_net_migrations";
    private const int LockWaitSeconds = 120;

    private sealed record AppliedMigration(int Version, string Name, string Checksum);

    public void Run(IReadOnlyList<Migration> migrations)
    {
        CreateDatabaseIfMissing();
        using var connection = locator.OpenConnection();
        // Two daemons starting on one database take turns; DDL cannot run inside a transaction in MySQL.
        if (connection.ExecuteScalar<int?>("SELECT GET_LOCK(@LockName, @LockWaitSeconds)", new { LockName, LockWaitSeconds }) != 1)
            throw new MigrationException($"could not take the migration lock within {LockWaitSeconds} s");
        try
        {
            connection.Execute("""
                CREATE TABLE IF NOT EXISTS schema_version (
                    version INT NOT NULL PRIMARY KEY,
                    name VARCHAR(255) NOT NULL,
                    checksum CHAR(64) NOT NULL,
                    applied_at BIGINT NOT NULL
                ) ENGINE=InnoDB
                """);
            var applied = connection.Query<AppliedMigration>("SELECT version, name, checksum FROM schema_version ORDER BY version")
                .ToDictionary(m => m.Version);
            CheckApplied(applied, migrations);
            foreach (var migration in migrations.Where(m => !applied.ContainsKey(m.Version)))
                Apply(connection, migration);
        }
        finally
        {
            connection.Execute("SELECT RELEASE_LOCK(@LockName)", new { LockName });
        }
    }

    private void CreateDatabaseIfMissing()
    {
        using var connection = locator.OpenServerConnection();
        string quoted = "`" + locator.Options.Database.Replace("`", "``") + "`";
        connection.Execute($"CREATE DATABASE IF NOT EXISTS {quoted} CHARACTER SET utf8mb4");
    }

    private static void CheckApplied(Dictionary<int, AppliedMigration> applied, IReadOnlyList<Migration> migrations)
    {
        var known = migrations.ToDictionary(m => m.Version);
        foreach (var record in applied.Values)
        {
            if (!known.TryGetValue(record.Version, out var migration))
                throw new MigrationException($"the database has migration {record.Version} ({record.Name}) that this daemon does not know: it is newer than this build");
            if (migration.Checksum != record.Checksum)
                throw new MigrationException($"migration {migration.Name} was edited after it was applied (checksum {record.Checksum} in the database, {migration.Checksum} now); add a new migration instead");
        }
    }

    private void Apply(MySqlConnection connection, Migration migration)
    {
        logger.LogInformation("applying migration {Name}", migration.Name);
        foreach (string statement in migration.Statements())
        {
            try
            {
                connection.Execute(statement);
            }
            catch (MySqlException exception)
            {
                throw new MigrationException($"migration {migration.Name} failed: {exception.Message}\n{statement}");
            }
        }
        connection.Execute("INSERT INTO schema_version (version, name, checksum, applied_at) VALUES (@Version, @Name, @Checksum, UNIX_TIMESTAMP())",
            new { migration.Version, migration.Name, migration.Checksum });
    }
}
