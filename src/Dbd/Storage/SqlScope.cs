using MySql.Data.MySqlClient;

namespace Accounting.Dbd.Storage;

/// <summary>The connection and (when a change is open) transaction a repository call runs in.</summary>
public sealed record SqlScope(MySqlConnection Connection, MySqlTransaction? Transaction);
