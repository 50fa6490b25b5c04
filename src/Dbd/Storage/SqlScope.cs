using MySql.Data.MySqlClient;

namespace Accounting.Dbd.Storage;

/// <summary>The connection and (when a change is open) transaction a repository call runs in.</summary>
public sealed record SqlScope(MySqlConnection Connection, MySqlTransaction? Transaction)
{
    /// <summary>Cluster ids read in this scope's transaction (<see cref="ClusterRepository.CachedIdOf"/>).</summary>
    public Dictionary<string, uint> ClusterIds { get; } = [];
}
