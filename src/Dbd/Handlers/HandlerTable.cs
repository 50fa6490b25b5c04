using Accounting.Model.Messages;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

public delegate Task<IDbdMessage> RequestHandler(RequestContext context, IDbdMessage request);

/// <summary>A family of handlers (clusters, TRES, the daemon itself, ...) that registers what it answers.</summary>
public interface IHandlerFamily
{
    void RegisterWith(HandlerTable table);
}

/// <summary>Dispatch by message type: one handler per request type, registered by its family.</summary>
public sealed class HandlerTable
{
    private readonly Dictionary<DbdMessageType, RequestHandler> _handlers = [];

    public HandlerTable(IEnumerable<IHandlerFamily> families)
    {
        foreach (var family in families)
            family.RegisterWith(this);
    }

    public void On<TRequest>(DbdMessageType type, Func<RequestContext, TRequest, Task<IDbdMessage>> handler)
        where TRequest : IDbdMessage
    {
        if (!_handlers.TryAdd(type, (context, request) => handler(context, (TRequest)request)))
            throw new InvalidOperationException($"two handlers for {DbdMessageTypeInfo.SlurmName(type)}");
    }

    public RequestHandler? Find(DbdMessageType type) => _handlers.GetValueOrDefault(type);
}
