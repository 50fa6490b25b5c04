using System.Data.Common;
using Accounting.Dbd.Storage;
using MySql.Data.MySqlClient;

namespace Accounting.Dbd.Scheduling;

/// <summary>
/// Quartz's connections, each to the server the locator is on when it is made: after a failover the
/// schedule is kept where the accounting data is, and a stale primary that comes back is not written to
/// by Quartz either. A read-only replica refuses Quartz's writes, which Quartz retries.
/// </summary>
public sealed class CurrentServerDataSource(DatabaseLocator locator) : DbDataSource
{
    public override string ConnectionString => locator.Options.ConnectionString(locator.Current);

    protected override DbConnection CreateDbConnection() => new MySqlConnection(ConnectionString);
}
