using Accounting.Dbd.Authorization;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>Clusters (records spec §3): any change needs a super user.</summary>
public sealed class ClusterHandlers(
    ClusterRepository clusters,
    FederationRepository federations,
    DefaultQosList defaultQos,
    Privileges privileges,
    ChangeClock changes,
    UsageRepository usage) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table)
    {
        table.On<ConditionMessage<ClusterCondition>>(DbdMessageType.GetClusters, GetClustersAsync);
        table.On<ListMessage<ClusterRecord>>(DbdMessageType.AddClusters, AddClustersAsync);
        table.On<ModifyMessage<ClusterCondition, ClusterRecord>>(DbdMessageType.ModifyClusters, ModifyClustersAsync);
        table.On<ConditionMessage<ClusterCondition>>(DbdMessageType.RemoveClusters, RemoveClustersAsync);
    }

    private async Task<IDbdMessage> GetClustersAsync(RequestContext context, ConditionMessage<ClusterCondition> request)
    {
        var condition = request.Condition;
        var records = await context.Storage.ReadAsync(scope =>
        {
            var found = clusters.Find(scope, condition);
            return condition.WithUsage != 0 ? usage.WithClusterUsage(scope, found, condition.UsageStart, condition.UsageEnd) : found;
        }).ConfigureAwait(false);
        return new ListMessage<ClusterRecord>(DbdMessageType.GotClusters, records);
    }

    private async Task<IDbdMessage> AddClustersAsync(RequestContext context, ListMessage<ClusterRecord> request)
    {
        if (!await privileges.IsSuperUserAsync(context).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var change = changes.For(context);
        int rc = await context.Storage.ChangeAsync(scope =>
        {
            int result = SlurmError.Success;
            foreach (var cluster in request.Items ?? [])
            {
                int one = clusters.Add(scope, cluster, defaultQos.Column, change);
                if (one != SlurmError.Success)
                    result = one;
            }
            return result;
        }).ConfigureAwait(false);
        // Adding a cluster sends no update object, unless it joined a federation or got features.
        if (rc == SlurmError.Success && (request.Items ?? []).Any(c => c.FederationName is not null || c.FederationFeatures is not null))
            await FederationHandlers.QueueFederationsUpdateAsync(context, federations).ConfigureAwait(false);
        return ChangeReplies.Added(request.Type, rc, "Failed to add cluster.");
    }

    private async Task<IDbdMessage> ModifyClustersAsync(RequestContext context, ModifyMessage<ClusterCondition, ClusterRecord> request)
    {
        if (!await privileges.IsSuperUserAsync(context).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var change = changes.For(context);
        var result = await context.Storage.ChangeAsync(scope => clusters.Modify(scope, request.Condition, request.Record, change)).ConfigureAwait(false);
        bool federationChanged = request.Record.FederationName is not null || request.Record.FederationState != SlurmValues.NoVal
            || request.Record.FederationFeatures is not null;
        if (result.Names is { Count: > 0 } && federationChanged)
            await FederationHandlers.QueueFederationsUpdateAsync(context, federations).ConfigureAwait(false);
        return ChangeReplies.Modified(request.Type, result);
    }

    private async Task<IDbdMessage> RemoveClustersAsync(RequestContext context, ConditionMessage<ClusterCondition> request)
    {
        if (!await privileges.IsSuperUserAsync(context).ConfigureAwait(false))
            return ChangeReplies.Denied(request.Type);
        var change = changes.For(context);
        var result = await context.Storage.ChangeAsync(scope => clusters.Remove(scope, request.Condition, change)).ConfigureAwait(false);
        if (result.ReturnCode == SlurmError.Success)
        {
            context.Storage.QueueUpdate(new ClusterUpdateObject(UpdateType.RemoveCluster));
            await FederationHandlers.QueueFederationsUpdateAsync(context, federations).ConfigureAwait(false);
        }
        return ChangeReplies.Removed(result);
    }
}
