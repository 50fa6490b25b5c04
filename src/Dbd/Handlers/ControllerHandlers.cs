using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// A slurmctld announcing itself and its cluster: DBD_REGISTER_CTLD, DBD_CLUSTER_TRES and DBD_NODE_STATE
/// (wire spec §9.2–9.4). Only root and SlurmUser may send them.
/// </summary>
public sealed class ControllerHandlers(
    ControllerRequests requests, ClusterRepository clusters, EventRepository events, DefaultQosList defaultQos, ChangeClock changes,
    ControllerRegistration registration)
    : IHandlerFamily
{
    public void RegisterWith(HandlerTable table)
    {
        table.On<RegisterCtldMessage>(DbdMessageType.RegisterCtld, RegisterAsync);
        table.On<ClusterTresMessage>(DbdMessageType.ClusterTres, ClusterTresAsync);
        table.On<NodeStateMessage>(DbdMessageType.NodeState, NodeStateAsync);
    }

    /// <summary>
    /// _register_ctld: the cluster of the connection is created (with its root association) when it does not
    /// exist, then its control host (the peer address), port, RPC version, dimensions, flags and select
    /// plugin are recorded (wire spec §9.2).
    /// </summary>
    private async Task<IDbdMessage> RegisterAsync(RequestContext context, RegisterCtldMessage request)
    {
        if (requests.Refusal(context, request.Type) is { } refusal)
            return refusal;
        if (context.Connection.ClusterName is not { Length: > 0 } name)
            return PersistRc.Failure(request.Type, SlurmError.BadName, "Must have a cluster name to register it");
        var change = changes.For(context);
        string host = ControllerRegistration.HostOf(context.Connection);
        var registered = new ClusterRecord
        {
            ControlHost = host,
            ControlPort = request.Port,
            RpcVersion = context.Connection.ProtocolVersion,
            Dimensions = request.Dimensions,
            Flags = request.Flags,
            PluginIdSelect = request.PluginIdSelect,
        };
        var condition = new ClusterCondition { ClusterList = [name] };
        int rc;
        ModifyResult modified;
        try
        {
            (rc, modified) = await context.Storage.ChangeAsync(scope =>
            {
                if (clusters.Find(scope, condition).Count == 0)
                {
                    int added = clusters.Add(scope, new ClusterRecord { Name = name, Flags = request.Flags }, defaultQos.Column, change);
                    if (added != SlurmError.Success)
                        return (added, ModifyResult.Failed(added));
                }
                var modified = clusters.Modify(scope, condition, registered, change);
                if (context.Connection.Replayed && !registration.StillRegistered(name, context.Connection.Peer))
                    clusters.FiniController(scope, name, host, request.Port, requests.Now);
                return (SlurmError.Success, modified);
            }).ConfigureAwait(false);
        }
        catch
        {
            await context.Storage.RollbackAsync().ConfigureAwait(false);
            throw;
        }
        if (rc != SlurmError.Success)
        {
            await requests.CommitAsync(context, keep: false).ConfigureAwait(false);
            return PersistRc.Failure(request.Type, rc, "Failed to add/register cluster.");
        }
        if (modified.Names is not { Count: > 0 })
        {
            await requests.CommitAsync(context, keep: false).ConfigureAwait(false);
            return modified.ErrorCode == SlurmError.Efault
                ? PersistRc.Failure(request.Type, SlurmError.Error, "Request to register was incomplete")
                : ControllerRequests.UnknownCluster(request.Type);
        }
        await requests.CommitAsync(context).ConfigureAwait(false);
        registration.Registered(context.Connection, name, request.Port, request.Flags);
        return PersistRc.Ok(request.Type);
    }

    /// <summary>
    /// _cluster_tres: rc 0 / 10002 / 10004 / 10005 tell slurmctld what to re-send (wire spec §9.3). Without a
    /// TRES string the reference only reads the current one, so nothing is written.
    /// </summary>
    private async Task<IDbdMessage> ClusterTresAsync(RequestContext context, ClusterTresMessage request)
    {
        if (requests.Refusal(context, request.Type) is { } refusal)
            return refusal;
        if (request.TresString is not { } tres)
            return PersistRc.Ok(request.Type);
        var result = await requests.WriteAsync(context, (scope, clusterId) =>
            events.RegisterClusterTres(scope, clusterId, request.ClusterNodes, tres, request.EventTime)).ConfigureAwait(false);
        await registration.RegisterDisconnectedAsync(context).ConfigureAwait(false);
        if (!result.ClusterKnown)
            return ControllerRequests.UnknownCluster(request.Type);
        if (result.Value != SlurmError.Success)
            return PersistRc.Failure(request.Type, result.Value, null);
        context.Connection.ClusterTres = tres;
        return PersistRc.Ok(request.Type);
    }

    /// <summary>
    /// _node_state: down opens a node event, up closes it; a down message without TRES is treated as up, as
    /// slurmdbd does (wire spec §9.4).
    /// </summary>
    private async Task<IDbdMessage> NodeStateAsync(RequestContext context, NodeStateMessage request)
    {
        if (requests.Refusal(context, request.Type) is { } refusal)
            return refusal;
        string node = request.Hostlist ?? "";
        bool down = request.NewState == NodeStateMessage.NodeDown && request.TresString is not null;
        var result = await requests.WriteAsync(context, (scope, clusterId) =>
        {
            if (down)
                events.NodeDown(scope, clusterId, node, request.State, request.Reason ?? "", request.ReasonUid, request.TresString!, request.EventTime);
            else
                events.NodeUp(scope, clusterId, node, request.EventTime);
            return true;
        }).ConfigureAwait(false);
        return result.ClusterKnown ? PersistRc.Ok(request.Type) : ControllerRequests.UnknownCluster(request.Type);
    }
}
