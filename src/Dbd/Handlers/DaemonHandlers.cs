using Accounting.Dbd.Authorization;
using Accounting.Dbd.Rollup;
using Accounting.Dbd.Server;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Handlers;

/// <summary>Requests about the daemon itself: statistics, configuration, reconfigure, shutdown.</summary>
public sealed class DaemonHandlers(
    Privileges privileges,
    RpcStatistics statistics,
    RollupStatistics rollups,
    IDaemonControl daemon,
    ILogger<DaemonHandlers> logger) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table)
    {
        table.On<EmptyMessage>(DbdMessageType.GetStats, GetStatsAsync);
        table.On<EmptyMessage>(DbdMessageType.ClearStats, ClearStatsAsync);
        table.On<EmptyMessage>(DbdMessageType.Reconfig, ReconfigAsync);
        table.On<EmptyMessage>(DbdMessageType.Shutdown, ShutdownAsync);
        table.On<GetConfigMessage>(DbdMessageType.GetConfig, GetConfigAsync);
    }

    private async Task<PersistRc?> RefuseUnlessSuperUserAsync(RequestContext context, DbdMessageType request, DbdMessageType answerAs)
    {
        if (await privileges.IsSuperUserAsync(context).ConfigureAwait(false))
            return null;
        logger.LogError("{Connection}: {Request}: {Comment}", context.Connection, DbdMessageTypeInfo.SlurmName(request), Privileges.NoPrivilegeComment);
        return PersistRc.Failure(answerAs, SlurmError.AccessDenied, Privileges.NoPrivilegeComment);
    }

    private async Task<IDbdMessage> GetStatsAsync(RequestContext context, EmptyMessage request)
    {
        if (await RefuseUnlessSuperUserAsync(context, request.Type, request.Type).ConfigureAwait(false) is { } refusal)
            return refusal;
        // sacctmgr skips the periods whose total is 0 (no pass of that kind yet).
        var (dbd, clusters) = rollups.Snapshot();
        return new StatsMessage(new StatsRecord(dbd, clusters, statistics.ByMessageType(), statistics.TimeStart, statistics.ByUser()));
    }

    private async Task<IDbdMessage> ClearStatsAsync(RequestContext context, EmptyMessage request)
    {
        if (await RefuseUnlessSuperUserAsync(context, request.Type, request.Type).ConfigureAwait(false) is { } refusal)
            return refusal;
        logger.LogInformation("{Connection}: statistics cleared", context.Connection);
        statistics.Clear();
        return PersistRc.Ok(request.Type);
    }

    private async Task<IDbdMessage> ReconfigAsync(RequestContext context, EmptyMessage request)
    {
        // slurmdbd answers a refused DBD_RECONFIG with ret_info DBD_MODIFY_WCKEYS (wire spec §5.2).
        if (await RefuseUnlessSuperUserAsync(context, request.Type, DbdMessageType.ModifyWckeys).ConfigureAwait(false) is { } refusal)
            return refusal;
        logger.LogInformation("Reconfigure request received from {Connection}", context.Connection);
        string? problem = daemon.Reconfigure();
        return problem is null ? PersistRc.Ok(request.Type) : PersistRc.Failure(request.Type, SlurmError.Error, problem);
    }

    private async Task<IDbdMessage> ShutdownAsync(RequestContext context, EmptyMessage request)
    {
        if (await RefuseUnlessSuperUserAsync(context, request.Type, request.Type).ConfigureAwait(false) is { } refusal)
            return refusal;
        logger.LogInformation("Shutdown request received from {Connection}", context.Connection);
        daemon.Shutdown();
        return PersistRc.Ok(request.Type);
    }

    private Task<IDbdMessage> GetConfigAsync(RequestContext context, GetConfigMessage request)
    {
        IDbdMessage reply = request.ConfigName is null or "slurmdbd.conf"
            ? new ListMessage<ConfigKeyPair>(DbdMessageType.GotConfig, daemon.ConfigDump())
            : PersistRc.Failure(request.Type, SlurmError.Einval, $"unknown configuration {request.ConfigName}");
        return Task.FromResult(reply);
    }
}
