using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// DBD_ADD_RESV, DBD_MODIFY_RESV, DBD_REMOVE_RESV from slurmctld's queue (wire spec §9.11). The record names
/// its cluster; a record without id, start or cluster (or, to modify, the previous start) is refused with -1,
/// as the reference refuses it.
/// </summary>
public sealed class ReservationHandlers(ControllerRequests requests, ReservationRepository reservations) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table)
    {
        table.On<RecordMessage<ReservationRecord>>(DbdMessageType.AddResv, AddAsync);
        table.On<RecordMessage<ReservationRecord>>(DbdMessageType.ModifyResv, ModifyAsync);
        table.On<RecordMessage<ReservationRecord>>(DbdMessageType.RemoveResv, RemoveAsync);
    }

    private Task<IDbdMessage> AddAsync(RequestContext context, RecordMessage<ReservationRecord> request) =>
        ChangeAsync(context, request, needsPreviousStart: false, (scope, clusterId) => reservations.Add(scope, clusterId, request.Record));

    private Task<IDbdMessage> ModifyAsync(RequestContext context, RecordMessage<ReservationRecord> request)
    {
        long now = requests.Now;
        return ChangeAsync(context, request, needsPreviousStart: true, (scope, clusterId) => reservations.Modify(scope, clusterId, request.Record, now));
    }

    private Task<IDbdMessage> RemoveAsync(RequestContext context, RecordMessage<ReservationRecord> request) =>
        ChangeAsync(context, request, needsPreviousStart: false, (scope, clusterId) => reservations.Remove(scope, clusterId, request.Record));

    private async Task<IDbdMessage> ChangeAsync(RequestContext context, RecordMessage<ReservationRecord> request, bool needsPreviousStart,
        Action<SqlScope, uint> change)
    {
        if (requests.Refusal(context, request.Type) is { } refusal)
            return refusal;
        var resv = request.Record;
        if (resv.Id == 0 || resv.TimeStart == 0 || string.IsNullOrEmpty(resv.Cluster) || (needsPreviousStart && resv.TimeStartPrev == 0))
            return PersistRc.Failure(request.Type, SlurmError.Error, null);
        var result = await requests.WriteAsync(context, resv.Cluster, (scope, clusterId) =>
        {
            change(scope, clusterId);
            return true;
        }).ConfigureAwait(false);
        return result.ClusterKnown ? PersistRc.Ok(request.Type) : ControllerRequests.UnknownCluster(request.Type);
    }
}
