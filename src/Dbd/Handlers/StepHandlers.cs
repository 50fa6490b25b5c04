using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// DBD_STEP_START and DBD_STEP_COMPLETE (wire spec §9.8). Steps often arrive before the job's start was
/// acknowledged (db_index 0): the job row is then found by (job id, submit time) or made (§10.1).
/// </summary>
public sealed class StepHandlers(ControllerRequests requests, JobRepository jobs, StepRepository steps, ControllerRegistration registration)
    : IHandlerFamily
{
    public void RegisterWith(HandlerTable table)
    {
        table.On<StepStartMessage>(DbdMessageType.StepStart, StepStartAsync);
        table.On<StepCompleteMessage>(DbdMessageType.StepComplete, StepCompleteAsync);
    }

    /// <summary>_step_start: the job row it makes, if needed, starts with the step (job start = step start).</summary>
    private async Task<IDbdMessage> StepStartAsync(RequestContext context, StepStartMessage request)
    {
        if (requests.Refusal(context, request.Type) is { } refusal)
            return refusal;
        long now = requests.Now;
        var result = await requests.WriteAsync(context, (scope, clusterId) =>
        {
            // Nearly always the job's row is there under its identity (Resolve's first choice): one statement.
            if (steps.Start(scope, clusterId, null, request))
                return true;
            ulong job = jobs.Resolve(scope, clusterId, request.DbIndex, new JobStartMessage
            {
                AssocId = request.AssocId,
                JobId = request.StepId.JobId,
                Nodes = request.Nodes,
                StartTime = request.StartTime,
                SubmitTime = request.JobSubmitTime,
            }, now);
            steps.Start(scope, clusterId, job, request);
            return true;
        }).ConfigureAwait(false);
        await registration.RegisterDisconnectedAsync(context).ConfigureAwait(false);
        return result.ClusterKnown ? PersistRc.Ok(request.Type) : ControllerRequests.UnknownCluster(request.Type);
    }

    private async Task<IDbdMessage> StepCompleteAsync(RequestContext context, StepCompleteMessage request)
    {
        if (requests.Refusal(context, request.Type) is { } refusal)
            return refusal;
        long now = requests.Now;
        var result = await requests.WriteAsync(context, (scope, clusterId) =>
        {
            if (steps.Complete(scope, clusterId, null, request))
                return true;
            ulong job = jobs.Resolve(scope, clusterId, request.DbIndex, new JobStartMessage
            {
                AssocId = request.AssocId,
                JobId = request.StepId.JobId,
                StartTime = request.StartTime,
                SubmitTime = request.JobSubmitTime,
                TresAllocString = request.JobTresAllocString,
            }, now);
            steps.Complete(scope, clusterId, job, request);
            return true;
        }).ConfigureAwait(false);
        await registration.RegisterDisconnectedAsync(context).ConfigureAwait(false);
        return result.ClusterKnown ? PersistRc.Ok(request.Type) : ControllerRequests.UnknownCluster(request.Type);
    }
}
