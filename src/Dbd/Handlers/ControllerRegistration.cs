using System.Net;
using Accounting.Dbd.Hosting;
using Accounting.Dbd.Spool;
using Accounting.Dbd.Storage;
using Accounting.Model.Wire;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// What makes a connection its cluster's registered controller and what its close then does (proc_req.c
/// _add_registered_cluster, the "cluster not registered" path of job and step messages, and
/// _connection_fini_callback; as_mysql_fini_ctld, register_disconn_ctld).
/// With the spool, a registration and a close can happen while no database is writable: the spooled
/// registration makes its connection the cluster's controller at once (the controller was told so), and a
/// close that cannot be stored before the spool is replayed is deferred until the spool has drained, so
/// the replay never leaves a cluster registered to a controller that is gone.
/// </summary>
public sealed class ControllerRegistration(
    ControllerRequests requests, ClusterRepository clusters, EventRepository events, RegisteredControllers registered,
    MessageSpool spool, ConfigHolder config, ILogger<ControllerRegistration> logger)
{
    private readonly Lock _deferredLock = new();
    private readonly List<Disconnect> _deferred = [];

    /// <summary>A registered controller's close, as fini_ctld needs it.</summary>
    private sealed record Disconnect(string Cluster, string Host, ushort Port, uint Flags, string? ClusterTres, long Time);

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
        // A replayed record stands for a connection: that one registered itself when its record was spooled.
        if (connection.Replayed)
            return;
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
    /// Whether the controller connection at <paramref name="peer"/> is still <paramref name="cluster"/>'s
    /// registered controller: a replayed registration from any other connection is one whose controller has
    /// gone (or been displaced) since, so the replay clears it again.
    /// </summary>
    public bool StillRegistered(string cluster, IPEndPoint peer) =>
        registered.Current(cluster) is { Replayed: false, ControllerPort: not 0 } current && current.Peer.Equals(peer);

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
        var disconnect = new Disconnect(cluster, host, connection.ControllerPort, flags, connection.ClusterTres, requests.Now);
        if (spool.Depth > 0)
        {
            // Its registration may still be in the spool: clearing it now would come before the replay sets it.
            Defer(disconnect);
            return;
        }
        try
        {
            await StoreAsync(storage, disconnect).ConfigureAwait(false);
        }
        catch (StorageUnavailableException)
        {
            await storage.RollbackAsync().ConfigureAwait(false);
            Defer(disconnect);
        }
    }

    private void Defer(Disconnect disconnect)
    {
        logger.LogInformation("cluster {Cluster}: its controller's disconnect is stored once the spool has been replayed and a database is writable",
            disconnect.Cluster);
        lock (_deferredLock)
            _deferred.Add(disconnect);
    }

    /// <summary>Whether closes wait for <see cref="ApplyDeferredDisconnectsAsync"/>.</summary>
    public bool HasDeferredDisconnects
    {
        get
        {
            lock (_deferredLock)
                return _deferred.Count > 0;
        }
    }

    /// <summary>
    /// Once the spool is empty and a database writable (the replayer's idle turn): the closes that happened
    /// meanwhile, in order, each only when no controller of its cluster has registered since. Kept in memory only; after a restart a cluster whose
    /// controller left during an outage stays marked registered until that controller connects again.
    /// </summary>
    public async Task ApplyDeferredDisconnectsAsync(StorageSession storage)
    {
        List<Disconnect> pending;
        lock (_deferredLock)
        {
            pending = [.. _deferred];
            _deferred.Clear();
        }
        for (int i = 0; i < pending.Count; i++)
        {
            if (registered.Current(pending[i].Cluster) is not null)
                continue;
            try
            {
                await StoreAsync(storage, pending[i]).ConfigureAwait(false);
            }
            catch (StorageUnavailableException)
            {
                await storage.RollbackAsync().ConfigureAwait(false);
                lock (_deferredLock)
                    _deferred.InsertRange(0, pending[i..]);
                return;
            }
        }
    }

    /// <summary>fini_ctld, and with TrackSlurmctldDown the cluster down event.</summary>
    private async Task StoreAsync(StorageSession storage, Disconnect disconnect)
    {
        bool trackDown = config.Current.TrackSlurmctldDown
            && (disconnect.Flags == SlurmValues.NoVal || (disconnect.Flags & ClusterRepository.ClusterFlagExternal) == 0);
        await storage.ChangeAsync(scope =>
        {
            if (clusters.FiniController(scope, disconnect.Cluster, disconnect.Host, disconnect.Port, disconnect.Time) && trackDown
                && clusters.IdOf(scope, disconnect.Cluster) is uint clusterId)
                events.ControllerDown(scope, clusterId, disconnect.ClusterTres, disconnect.Time);
            return true;
        }).ConfigureAwait(false);
        await storage.CommitAsync().ConfigureAwait(false);
    }
}
