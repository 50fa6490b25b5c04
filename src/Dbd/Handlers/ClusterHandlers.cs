using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>Clusters (records spec §3).</summary>
public sealed class ClusterHandlers(ClusterRepository clusters) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table) =>
        table.On<ConditionMessage<ClusterCondition>>(DbdMessageType.GetClusters, GetClustersAsync);

    private async Task<IDbdMessage> GetClustersAsync(RequestContext context, ConditionMessage<ClusterCondition> request)
    {
        var records = await context.Storage.ReadAsync(scope => clusters.Find(scope, request.Condition)).ConfigureAwait(false);
        return new ListMessage<ClusterRecord>(DbdMessageType.GotClusters, records);
    }
}
