using Accounting.Dbd.Authorization;
using Accounting.Dbd.Configuration;
using Accounting.Dbd.Hosting;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// DBD_GET_ASSOC_USAGE, DBD_GET_CLUSTER_USAGE, DBD_GET_WCKEY_USAGE (proc_req.c _get_usage,
/// as_mysql_get_usage; records spec §10.4): the record comes back with its usage list appended and both
/// times 0. A record without id (association, wckey) or name (cluster), an unknown cluster, or a reader
/// that PrivateData=usage keeps out, gets SLURM_ERROR "Problem getting usage info". sreport reads usage
/// through GET_CLUSTERS/ASSOCS/USERS with with_usage instead; this is the slurmdb_usage_get() path.
/// </summary>
public sealed class UsageHandlers(
    UsageRepository usage,
    Privileges privileges,
    CoordinatorRepository coordinators,
    ConfigHolder config) : IHandlerFamily
{
    private const string Problem = "Problem getting usage info";

    public void RegisterWith(HandlerTable table)
    {
        table.On<UsageMessage<AssociationRecord>>(DbdMessageType.GetAssocUsage, GetAssociationUsageAsync);
        table.On<UsageMessage<ClusterRecord>>(DbdMessageType.GetClusterUsage, GetClusterUsageAsync);
        table.On<UsageMessage<WckeyRecord>>(DbdMessageType.GetWckeyUsage, GetWckeyUsageAsync);
    }

    private async Task<IDbdMessage> GetAssociationUsageAsync(RequestContext context, UsageMessage<AssociationRecord> request)
    {
        var assoc = request.Record;
        if (assoc.Id == 0 || assoc.Cluster is null || !await MayReadAsync(context, assoc.User, assoc.Account).ConfigureAwait(false))
            return Failure(request.Type);
        var rows = await context.Storage.ReadAsync(scope => UsageRepository.ClusterId(scope, assoc.Cluster) is { } id
            ? usage.AssociationUsage(scope, id, [assoc.Id], request.Start, request.End)[assoc.Id].ToList()
            : []).ConfigureAwait(false);
        return new UsageMessage<AssociationRecord>(DbdMessageType.GotAssocUsage,
            assoc with { AccountingList = [.. assoc.AccountingList ?? [], .. rows] }, 0, 0);
    }

    private async Task<IDbdMessage> GetWckeyUsageAsync(RequestContext context, UsageMessage<WckeyRecord> request)
    {
        var wckey = request.Record;
        if (wckey.Id == 0 || wckey.Cluster is null || !await MayReadAsync(context, wckey.User, account: null).ConfigureAwait(false))
            return Failure(request.Type);
        var rows = await context.Storage.ReadAsync(scope => UsageRepository.ClusterId(scope, wckey.Cluster) is { } id
            ? usage.WckeyUsage(scope, id, [wckey.Id], request.Start, request.End)[wckey.Id].ToList()
            : []).ConfigureAwait(false);
        return new UsageMessage<WckeyRecord>(DbdMessageType.GotWckeyUsage,
            wckey with { AccountingList = [.. wckey.AccountingList ?? [], .. rows] }, 0, 0);
    }

    /// <summary>The cluster query goes to the cluster's own tables in the reference: an unknown cluster is an SQL error.</summary>
    private async Task<IDbdMessage> GetClusterUsageAsync(RequestContext context, UsageMessage<ClusterRecord> request)
    {
        var cluster = request.Record;
        if (string.IsNullOrEmpty(cluster.Name))
            return Failure(request.Type);
        var rows = await context.Storage.ReadAsync(scope => UsageRepository.ClusterId(scope, cluster.Name) is { } id
            ? usage.ClusterUsage(scope, id, request.Start, request.End)
            : null).ConfigureAwait(false);
        return rows is null
            ? Failure(request.Type)
            : new UsageMessage<ClusterRecord>(DbdMessageType.GotClusterUsage, cluster with { AccountingList = [.. cluster.AccountingList ?? [], .. rows] }, 0, 0);
    }

    /// <summary>
    /// PrivateData=usage: below Operator a reader sees the usage of their own association or wckey, or of
    /// an association in an account they coordinate.
    /// </summary>
    private async Task<bool> MayReadAsync(RequestContext context, string? user, string? account)
    {
        if ((config.Current.PrivateData & PrivateData.Usage) == 0 || await privileges.IsOperatorAsync(context).ConfigureAwait(false))
            return true;
        if (user is not null && user == UnixUsers.NameOf(context.Connection.Uid))
            return true;
        if (account is null)
            return false;
        var coordinated = await Coordination.AccountsOfRequesterAsync(context, coordinators).ConfigureAwait(false);
        return coordinated.Contains(account, StringComparer.OrdinalIgnoreCase);
    }

    private static PersistRc Failure(DbdMessageType type) => PersistRc.Failure(type, SlurmError.Error, Problem);
}
