using Accounting.Dbd.Hosting;
using Accounting.Dbd.Storage;
using Accounting.Model.Wire;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// What makes a connection its cluster's registered controller and what its close then does (proc_req.c
/// _add_registered_cluster, the "cluster not registered" path of job and step messages, and
/// _connection_fini_callback; as_mysql_fini_ctld, register_disconn_ctld).
/// </summary>
public sealed class ControllerRegistration(
    ControllerRequests requests, ClusterRepository clusters, EventRepository events, RegisteredControllers registered,
    ConfigHolder config, ILogger<ControllerRegistration> logger)
{
    /// <summary>The peer address as slurmdbd records it for control_host (rem_host).</summary>
    public static string HostOf(ConnectionState connection)
    {
        var address = connection.Peer.Address;
        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    /// <summary>
    /// _add_registered_cluster after a successful registration on <paramref name="port"/>: the connection
    /// displaces the cluster's previous controller connection, and its close is arranged once.
    /// </summary>
    public void Registered(ConnectionState connection, string cluster, ushort port, uint flags)
    {
        connection.ControllerPort = port;
        if (registered.Add(cluster, connection) is { } displaced)
            logger.LogError("A new registration for cluster {Cluster} ({Connection}) just came in, but I am already talking to that cluster ({Previous}), closing other connection.",
                cluster, connection, displaced);
        if (connection.ControllerCloseArranged)
            return;
        connection.ControllerCloseArranged = true;
        string host = HostOf(connection);
        connection.OnClose(storage => ControllerGoneAsync(storage, cluster, host, connection, flags));
    }

    /// <summary>
    /// The "cluster not registered" step of DBD_CLUSTER_TRES, DBD_JOB_START, DBD_JOB_COMPLETE, DBD_STEP_START
    /// and DBD_STEP_COMPLETE: a controller that reconnected without registering again (slurmctld does not
    /// re-send DBD_REGISTER_CTLD when slurmdbd comes back) is registered on its cluster's last port, so that
    /// its close is handled as that of a registered controller.
    /// </summary>
    public async Task RegisterDisconnectedAsync(RequestContext context)
    {
        var connection = context.Connection;
        // A replayed spool record is not a connection: its controller's own connection registers itself.
        if (connection.ControllerPort != 0 || connection.Replayed || connection.ClusterName is not { Length: > 0 } cluster)
            return;
        string host = HostOf(connection);
        ushort port;
        try
        {
            port = await context.Storage.ChangeAsync(scope => clusters.RegisterDisconnected(scope, cluster, host)).ConfigureAwait(false);
        }
        catch
        {
            await context.Storage.RollbackAsync().ConfigureAwait(false);
            throw;
        }
        await requests.CommitAsync(context).ConfigureAwait(false);
        if (port != 0)
            Registered(connection, cluster, port, SlurmValues.NoVal);
    }

    /// <summary>
    /// _connection_fini_callback: when the connection of a cluster's registered controller closes, the
    /// registration is cleared (fini_ctld), so nothing is pushed to a controller that is gone (wire spec §5.4).
    /// A connection displaced by a newer registration clears nothing. With TrackSlurmctldDown a cleared
    /// registration also opens a cluster down event with the controller's last TRES, "slurmctld disconnect",
    /// which the controller's next DBD_CLUSTER_TRES closes.
    /// </summary>
    private async Task ControllerGoneAsync(StorageSession storage, string cluster, string host, ConnectionState connection, uint flags)
    {
        if (!registered.Remove(cluster, connection))
        {
            logger.LogDebug("{Connection}: closed after another controller of cluster {Cluster} registered; the registration stays", connection, cluster);
            return;
        }
        logger.LogDebug("cluster {Cluster} has disconnected", cluster);
        // A controller commits after every RPC; anything else still open is dropped as on any close.
        await storage.RollbackAsync().ConfigureAwait(false);
        long now = requests.Now;
        bool trackDown = config.Current.TrackSlurmctldDown
            && (flags == SlurmValues.NoVal || (flags & ClusterRepository.ClusterFlagExternal) == 0);
        await storage.ChangeAsync(scope =>
        {
            if (clusters.FiniController(scope, cluster, host, connection.ControllerPort, now) && trackDown
                && clusters.IdOf(scope, cluster) is uint clusterId)
                events.ControllerDown(scope, clusterId, connection.ClusterTres, now);
            return true;
        }).ConfigureAwait(false);
        await storage.CommitAsync().ConfigureAwait(false);
    }
}
