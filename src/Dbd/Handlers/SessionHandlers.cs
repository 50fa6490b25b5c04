using Accounting.Dbd.Controllers;
using Accounting.Model.Messages;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>DBD_FINI: the transaction of the connection (records spec §1.5).</summary>
public sealed class SessionHandlers(IControllerNotifier controllers) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table) => table.On<FiniMessage>(DbdMessageType.Fini, FiniAsync);

    private async Task<IDbdMessage> FiniAsync(RequestContext context, FiniMessage fini)
    {
        if (fini.CloseConnection != 0)
        {
            // The client closes without reading this reply; what it had not committed is dropped.
            await context.Storage.RollbackAsync().ConfigureAwait(false);
            context.CloseAfterReply = true;
        }
        else if (fini.Commit != 0)
        {
            var updates = await context.Storage.CommitAsync().ConfigureAwait(false);
            if (updates.Count > 0)
                controllers.Notify(updates);
        }
        else
        {
            // sacctmgr sends FINI(commit=0) before every command: a rollback, not a close.
            await context.Storage.RollbackAsync().ConfigureAwait(false);
        }
        return PersistRc.Ok(DbdMessageType.Fini);
    }
}
