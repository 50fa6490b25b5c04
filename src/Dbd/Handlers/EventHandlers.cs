using Accounting.Dbd.Authorization;
using Accounting.Dbd.Configuration;
using Accounting.Dbd.Hosting;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>DBD_GET_EVENTS (`sacctmgr show event`; records spec §11.1–11.2).</summary>
public sealed class EventHandlers(EventRepository events, Privileges privileges, ConfigHolder config, TimeProvider clock) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table) =>
        table.On<ConditionMessage<EventCondition>>(DbdMessageType.GetEvents, GetEventsAsync);

    /// <summary>With PrivateData=events only operators may look (as_mysql_get_cluster_events: errno 2002).</summary>
    private async Task<IDbdMessage> GetEventsAsync(RequestContext context, ConditionMessage<EventCondition> request)
    {
        if ((config.Current.PrivateData & PrivateData.Events) != 0 && !await privileges.IsOperatorAsync(context).ConfigureAwait(false))
            return PersistRc.Failure(request.Type, SlurmError.AccessDenied, SlurmError.Describe(SlurmError.AccessDenied));
        long now = clock.GetUtcNow().ToUnixTimeSeconds();
        var records = await context.Storage.ReadAsync(scope => events.Find(scope, request.Condition, now)).ConfigureAwait(false);
        return new ListMessage<EventRecord>(DbdMessageType.GotEvents, records);
    }
}
