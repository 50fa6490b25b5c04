using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Storage;

/// <summary>
/// What happens to the database before the daemon listens: migrations, then the rows slurmdbd asserts at
/// every start (records spec §9.1): fixed TRES, the default QOS, user and account root.
/// </summary>
public sealed class StorageStartup(
    DatabaseLocator locator,
    MigrationRunner migrations,
    TresRepository tres,
    QosRepository qos,
    UserRepository users,
    AccountRepository accounts,
    DefaultQosList defaultQos,
    TimeProvider clock,
    ILogger<StorageStartup> logger)
{
    public void Run(IReadOnlyList<string> defaultQosNames)
    {
        locator.ChooseAtStart();
        migrations.Run(Migration.Embedded());
        long now = clock.GetUtcNow().ToUnixTimeSeconds();
        using var connection = locator.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var scope = new SqlScope(connection, transaction);
        tres.EnsureFixedRows(scope, now);
        var qosIds = qos.EnsureDefaultQos(scope, defaultQosNames, now);
        users.EnsureRootUser(scope, now);
        accounts.EnsureRootAccount(scope, now);
        transaction.Commit();
        defaultQos.Set(qosIds);
        logger.LogInformation("database {Database} on {Host} is ready; default QOS ids {Ids}",
            locator.Options.Database, locator.Current, string.Join(",", qosIds));
    }
}
