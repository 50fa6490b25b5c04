using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>Trackable resources.</summary>
public sealed class TresHandlers(TresRepository tres) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table) =>
        table.On<ConditionMessage<TresCondition>>(DbdMessageType.GetTres, GetTresAsync);

    private async Task<IDbdMessage> GetTresAsync(RequestContext context, ConditionMessage<TresCondition> request)
    {
        var records = await context.Storage.ReadAsync(scope => tres.Find(scope, request.Condition)).ConfigureAwait(false);
        return new ListMessage<TresRecord>(DbdMessageType.GotTres, records);
    }
}
