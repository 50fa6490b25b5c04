namespace Accounting.Dbd.Handlers;

/// <summary>
/// proc_req.c's registered_clusters: the one connection per cluster that slurmdbd treats as its controller.
/// A new registration for a cluster displaces the connection registered before it, whose rem_port becomes 0,
/// so that its eventual close no longer clears the cluster's registration (fini_ctld) nor records the
/// controller down: the newer controller is the one registered (wire spec §9.2).
/// </summary>
public sealed class RegisteredControllers
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ConnectionState> _byCluster = new(StringComparer.Ordinal);

    /// <summary>_add_registered_cluster: the connection becomes the cluster's; returns the one it displaced, if any.</summary>
    public ConnectionState? Add(string cluster, ConnectionState connection)
    {
        lock (_lock)
        {
            _byCluster.TryGetValue(cluster, out var previous);
            _byCluster[cluster] = connection;
            if (previous is null || ReferenceEquals(previous, connection))
                return null;
            previous.ControllerPort = 0;
            return previous;
        }
    }

    /// <summary>The cluster's registered controller connection, if any.</summary>
    public ConnectionState? Current(string cluster)
    {
        lock (_lock)
            return _byCluster.GetValueOrDefault(cluster);
    }

    /// <summary>
    /// The connection ended: it leaves the list if it is still there. Returns whether it was still the
    /// cluster's registered controller, i.e. whether its close has to clear the registration.
    /// </summary>
    public bool Remove(string cluster, ConnectionState connection)
    {
        lock (_lock)
        {
            if (!_byCluster.TryGetValue(cluster, out var current) || !ReferenceEquals(current, connection))
                return false;
            _byCluster.Remove(cluster);
            return connection.ControllerPort != 0;
        }
    }
}
