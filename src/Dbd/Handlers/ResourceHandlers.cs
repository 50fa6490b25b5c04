using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>DBD_GET_RES: system resources, asked for by slurmctld at startup (wire spec §9.13) and by sacctmgr.</summary>
public sealed class ResourceHandlers(ResourceRepository resources) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table) =>
        table.On<ConditionMessage<ResourceCondition>>(DbdMessageType.GetRes, GetResourcesAsync);

    private async Task<IDbdMessage> GetResourcesAsync(RequestContext context, ConditionMessage<ResourceCondition> request)
    {
        var records = await context.Storage.ReadAsync(scope => resources.Find(scope, request.Condition)).ConfigureAwait(false);
        return new ListMessage<ResourceRecord>(DbdMessageType.GotRes, records);
    }
}
