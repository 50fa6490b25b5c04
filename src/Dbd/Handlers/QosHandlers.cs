using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>Quality of service definitions.</summary>
public sealed class QosHandlers(QosRepository qos) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table) =>
        table.On<ConditionMessage<QosCondition>>(DbdMessageType.GetQos, GetQosAsync);

    private async Task<IDbdMessage> GetQosAsync(RequestContext context, ConditionMessage<QosCondition> request)
    {
        var records = await context.Storage.ReadAsync(scope => qos.Find(scope, request.Condition)).ConfigureAwait(false);
        return new ListMessage<QosRecord>(DbdMessageType.GotQos, records);
    }
}
