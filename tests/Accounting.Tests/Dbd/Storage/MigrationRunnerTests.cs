using Accounting.Dbd.Storage;
using Accounting.Tests.Support;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Accounting.Tests.Dbd.Storage;

/// <summary>Numbered migrations against a real MariaDB: applied once, recorded, never silently edited.</summary>
[Collection(ServicesCollection.Name)]
public sealed class MigrationRunnerTests(SharedServices services)
{
    private (DatabaseLocator Locator, MigrationRunner Runner, string Database) NewRunner()
    {
        string database = services.MariaDb.NewDatabaseName();
        var locator = new DatabaseLocator(new StorageOptions
        {
            Host = "127.0.0.1",
            Port = (uint)services.MariaDb.Port,
            User = MariaDbServer.User,
            Password = MariaDbServer.Password,
            Database = database,
        }, NullLogger<DatabaseLocator>.Instance);
        return (locator, new MigrationRunner(locator, NullLogger<MigrationRunner>.Instance), database);
    }

    [Fact]
    public void A_new_database_is_created_and_gets_every_migration_once()
    {
        var (_, runner, database) = NewRunner();
        var migrations = Migration.Embedded();

        runner.Run(migrations);
        runner.Run(migrations);

        using var connection = services.MariaDb.Connect(database);
        var applied = connection.Query<(int Version, string Checksum)>("SELECT version, checksum FROM schema_version ORDER BY version").ToList();
        Assert.Equal(migrations.Select(m => (m.Version, m.Checksum)), applied);
        Assert.True(connection.ExecuteScalar<int>("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('cluster', 'job', 'step', 'assoc', 'qos', 'tres')") == 6);
    }

    [Fact]
    public void An_applied_migration_that_was_edited_stops_the_daemon()
    {
        var (_, runner, _) = NewRunner();
        var migrations = Migration.Embedded();
        runner.Run(migrations);
        var edited = migrations.Select(m => m.Version == 1 ? m with { Sql = m.Sql + "\n-- changed later\n" } : m).ToList();

        var failure = Assert.Throws<MigrationException>(() => runner.Run(edited));

        Assert.Contains("0001_entities.sql was edited after it was applied", failure.Message);
    }

    [Fact]
    public void A_database_migrated_by_a_newer_build_is_refused()
    {
        var (_, runner, database) = NewRunner();
        var migrations = Migration.Embedded();
        runner.Run(migrations);
        using (var connection = services.MariaDb.Connect(database))
            connection.Execute("INSERT INTO schema_version VALUES (9999, '9999_future.sql', REPEAT('0', 64), 0)");

        var failure = Assert.Throws<MigrationException>(() => runner.Run(migrations));

        Assert.Contains("newer than this build", failure.Message);
    }

    [Fact]
    public void Statements_are_split_at_semicolons_ending_a_line_and_comments_alone_are_skipped()
    {
        var migration = new Migration(7, "0007_x.sql", "-- a comment\nCREATE TABLE a (x INT);\n-- only a comment;\n\nINSERT INTO a VALUES (1);  \n");

        Assert.Equal(["-- a comment\nCREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)"], migration.Statements());
    }
}
