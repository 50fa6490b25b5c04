using Accounting.Dbd.Authorization;
using Accounting.Dbd.Configuration;
using Accounting.Dbd.Hosting;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>DBD_GET_JOBS_COND, the job query of sacct (records spec §8; proc_req.c _get_jobs_cond).</summary>
public sealed class JobQueryHandlers(
    JobQueryRepository jobs,
    CoordinatorRepository coordinators,
    Privileges privileges,
    ConfigHolder config,
    TimeProvider time) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table) =>
        table.On<ConditionMessage<JobCondition>>(DbdMessageType.GetJobsCond, GetJobsAsync);

    private async Task<IDbdMessage> GetJobsAsync(RequestContext context, ConditionMessage<JobCondition> request)
    {
        var condition = request.Condition;
        if (await RefusalAsync(context, condition).ConfigureAwait(false) is { } refusal)
            return refusal;
        var (visible, access) = await AccessAsync(context, condition).ConfigureAwait(false);
        if (!visible)
            return new ListMessage<JobRecord>(DbdMessageType.GotJobs, []);
        var now = time.GetUtcNow();
        var window = JobWindow.For(condition, now, time.LocalTimeZone);
        long nowSeconds = now.ToUnixTimeSeconds();
        return await StreamedJobList.StartAsync(context.Storage,
            (scope, emit) => jobs.Read(scope, condition, window, nowSeconds, access, emit)).ConfigureAwait(false);
    }

    /// <summary>
    /// as_mysql_jobacct_process_get_jobs: scripts and environments only for explicitly listed jobs; with
    /// PrivateData=jobs or those, a user below Operator sees only jobs under their own associations or
    /// accounts they coordinate, and nothing when the uid names no user. Each refusal is an empty list.
    /// </summary>
    private async Task<(bool Visible, JobAccess? Access)> AccessAsync(RequestContext context, JobCondition condition)
    {
        bool wantsFiles = (condition.Flags & (JobConditionFlags.Script | JobConditionFlags.Env)) != 0;
        if (wantsFiles && !JobSelection.HasSteps(condition))
            return (false, null);
        if (!wantsFiles && (config.Current.PrivateData & PrivateData.Jobs) == 0)
            return (true, null);
        return await RestrictedAccessAsync(context, privileges, coordinators).ConfigureAwait(false);
    }

    /// <summary>
    /// For a reader PrivateData keeps to their own jobs: nothing is hidden from an operator, a uid that
    /// names no user sees no jobs, anyone else the jobs of <see cref="JobAccess"/>.
    /// </summary>
    public static async Task<(bool Visible, JobAccess? Access)> RestrictedAccessAsync(RequestContext context, Privileges privileges,
        CoordinatorRepository coordinators)
    {
        if (await privileges.IsOperatorAsync(context).ConfigureAwait(false))
            return (true, null);
        string? user = UnixUsers.NameOf(context.Connection.Uid);
        if (user is null)
            return (false, null);
        var coordinated = await context.Storage.ReadAsync(scope => coordinators.AccountsCoordinatedBy(scope, user)).ConfigureAwait(false);
        return (true, new JobAccess(user, coordinated));
    }

    /// <summary>
    /// RUNAWAY needs an operator; a non-operator without a step list may not ask for a window wider than
    /// MaxQueryTimeRange (records spec §8.6), judged on the window as sent.
    /// </summary>
    private async Task<IDbdMessage?> RefusalAsync(RequestContext context, JobCondition condition)
    {
        bool runaway = (condition.Flags & JobConditionFlags.Runaway) != 0;
        var maxRange = config.Current.MaxQueryTimeRange;
        if (!runaway && (maxRange is null || JobSelection.HasSteps(condition)))
            return null;
        if (await privileges.IsOperatorAsync(context).ConfigureAwait(false))
            return null;
        if (runaway)
            return PersistRc.Failure(DbdMessageType.GetJobsCond, SlurmError.AccessDenied,
                "You must have an AdminLevel>=Operator to fix runaway jobs");
        long end = condition.UsageEnd != 0 ? condition.UsageEnd : time.GetUtcNow().ToUnixTimeSeconds();
        return end - condition.UsageStart > maxRange!.Value.TotalSeconds
            ? PersistRc.Failure(DbdMessageType.GetJobsCond, SlurmError.DbQueryTooWide, SlurmError.Describe(SlurmError.DbQueryTooWide))
            : null;
    }
}
