using Accounting.Dbd.Authorization;
using Accounting.Dbd.Configuration;
using Accounting.Dbd.Hosting;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// DBD_GET_RESVS (proc_req.c _get_reservations, as_mysql_get_resvs), read by sreport reservation reports
/// with with_usage. PrivateData=reservations keeps it to operators: anyone else gets PERSIST_RC
/// ESLURM_ACCESS_DENIED. The usage comes from the job query run with the reader's uid, so with
/// PrivateData=jobs a reader below Operator counts only the jobs they may see.
/// </summary>
public sealed class ReservationQueryHandlers(ReservationQueryRepository reservations, Privileges privileges, ConfigHolder config,
    CoordinatorRepository coordinators, TimeProvider clock) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table) =>
        table.On<ConditionMessage<ReservationCondition>>(DbdMessageType.GetResvs, GetReservationsAsync);

    private async Task<IDbdMessage> GetReservationsAsync(RequestContext context, ConditionMessage<ReservationCondition> request)
    {
        if ((config.Current.PrivateData & PrivateData.Reservations) != 0 && !await privileges.IsOperatorAsync(context).ConfigureAwait(false))
            return PersistRc.Failure(request.Type, SlurmError.AccessDenied, SlurmError.Describe(SlurmError.AccessDenied));
        var jobs = (config.Current.PrivateData & PrivateData.Jobs) != 0
            ? await JobQueryHandlers.RestrictedAccessAsync(context, privileges, coordinators).ConfigureAwait(false)
            : (Visible: true, Access: null);
        long now = clock.GetUtcNow().ToUnixTimeSeconds();
        var records = await context.Storage.ReadAsync(scope => reservations.Find(scope, request.Condition, context.Connection.ClusterName, now, jobs)).ConfigureAwait(false);
        return new ListMessage<ReservationRecord>(DbdMessageType.GotResvs, records);
    }
}
