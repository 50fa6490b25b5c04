using Accounting.Dbd.Authorization;
using Accounting.Dbd.Controllers;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>Trackable resources (records spec §6.7).</summary>
public sealed class TresHandlers(TresRepository tres, Privileges privileges, TimeProvider clock, IControllerNotifier controllers) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table)
    {
        table.On<ConditionMessage<TresCondition>>(DbdMessageType.GetTres, GetTresAsync);
        table.On<ListMessage<TresRecord>>(DbdMessageType.AddTres, AddTresAsync);
    }

    private async Task<IDbdMessage> GetTresAsync(RequestContext context, ConditionMessage<TresCondition> request)
    {
        var records = await context.Storage.ReadAsync(scope => tres.Find(scope, request.Condition)).ConfigureAwait(false);
        return new ListMessage<TresRecord>(DbdMessageType.GotTres, records);
    }

    /// <summary>
    /// DBD_ADD_TRES: Operator (as_mysql_add_tres). slurmctld sends it at start-up before it registers, so
    /// proc_req.c commits right away whatever the outcome, and the controllers learn the new TRES then.
    /// </summary>
    private async Task<IDbdMessage> AddTresAsync(RequestContext context, ListMessage<TresRecord> request)
    {
        int rc = SlurmError.AccessDenied;
        if (await privileges.IsOperatorAsync(context).ConfigureAwait(false))
        {
            long now = clock.GetUtcNow().ToUnixTimeSeconds();
            var (added, records) = await context.Storage.ChangeAsync(scope => tres.Add(scope, request.Items ?? [], now)).ConfigureAwait(false);
            rc = added;
            if (records.Count > 0)
                context.Storage.QueueUpdate(new UpdateObject<TresRecord>(UpdateType.AddTres, records));
        }
        var updates = await context.Storage.CommitAsync().ConfigureAwait(false);
        if (updates.Count > 0)
            controllers.Notify(updates);
        return rc == SlurmError.AccessDenied ? ChangeReplies.Denied(request.Type) : ChangeReplies.Added(request.Type, rc, null);
    }
}
