using Accounting.Dbd.Archive;
using Accounting.Dbd.Authorization;
using Accounting.Dbd.Rollup;
using Accounting.Model.Messages;
using Accounting.Model.Wire;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// DBD_ROLL_USAGE, `sacctmgr roll [start [end [archive]]]` (proc_req.c _roll_usage): an Operator runs a
/// rollup pass over the window. The pass commits on its own connections, as the reference's per-cluster
/// threads do, so sacctmgr's "commit rollup?" question changes nothing.
/// </summary>
public sealed class RollupHandlers(Privileges privileges, UsageRollup rollup, PurgeRunner purge, TimeProvider clock,
    ILogger<RollupHandlers> logger) : IHandlerFamily
{
    public const string DeniedComment = "Your user doesn't have privilege to perform this action";

    public void RegisterWith(HandlerTable table) => table.On<RollUsageMessage>(DbdMessageType.RollUsage, RollAsync);

    private async Task<IDbdMessage> RollAsync(RequestContext context, RollUsageMessage request)
    {
        logger.LogInformation("DBD_ROLL_USAGE: called in {Connection}", context.Connection);
        if (!await privileges.IsOperatorAsync(context).ConfigureAwait(false))
        {
            logger.LogError("{Connection}: {Comment}", context.Connection, DeniedComment);
            return PersistRc.Failure(request.Type, SlurmError.AccessDenied, DeniedComment);
        }
        var pass = await rollup.RunAsync(RollupTrigger.Request, request.Start, request.End).ConfigureAwait(false);
        // sacctmgr roll ... archive: the purges follow the rollup, as after the scheduled one.
        if (request.ArchiveData != 0)
            await purge.AfterRollupAsync(pass, clock.GetUtcNow().ToUnixTimeSeconds()).ConfigureAwait(false);
        return pass.Ok ? PersistRc.Ok(request.Type) : PersistRc.Failure(request.Type, SlurmError.Error, null);
    }
}
