using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>Associations: the tree of who may run where, under which limits (records spec §5).</summary>
public sealed class AssociationHandlers(AssociationRepository associations) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table) =>
        table.On<ConditionMessage<AssociationCondition>>(DbdMessageType.GetAssocs, GetAssociationsAsync);

    private async Task<IDbdMessage> GetAssociationsAsync(RequestContext context, ConditionMessage<AssociationCondition> request)
    {
        var records = await context.Storage.ReadAsync(scope => associations.Find(scope, request.Condition)).ConfigureAwait(false);
        return new ListMessage<AssociationRecord>(DbdMessageType.GotAssocs, records);
    }
}
