using Accounting.Model.Records;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>
/// DBD_GET_JOBS_COND (as_mysql_jobacct_process_get_jobs; records spec §8.6): the jobs of each requested
/// cluster with their steps, read unbuffered in reply order and handed on one job at a time, so that a
/// 100,000-job answer is never held as a list (issue: large answers).
/// </summary>
public sealed class JobQueryRepository
{
    private sealed record ClusterName(uint Id, string Name);

    /// <summary>
    /// Calls <paramref name="emit"/> for every job, clusters in the condition's order (all live clusters
    /// by name when it names none; unknown names are skipped, as the reference's query on a missing table
    /// fails for that cluster only).
    /// </summary>
    /// <param name="access">Null when the caller may see every job.</param>
    public void Read(SqlScope scope, JobCondition condition, JobWindow window, long now, JobAccess? access, Action<JobRecord> emit)
    {
        var clusters = condition.ClusterList is { Count: > 0 } names
            ? names.Select(name => scope.Connection.QuerySingleOrDefault<ClusterName>(
                    "SELECT id, name FROM cluster WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256))", new { Name = name }, scope.Transaction))
                .OfType<ClusterName>().ToList()
            : scope.Connection.Query<ClusterName>("SELECT id, name FROM cluster WHERE deleted = 0 ORDER BY name", transaction: scope.Transaction).ToList();
        foreach (var cluster in clusters)
        {
            var filter = JobFilter.For(condition, cluster.Id, window);
            if (access is not null)
            {
                var lfts = access.VisibleLfts(scope, cluster.Id);
                if (lfts.Count == 0)
                    continue;
                JobAccess.AddTo(filter, lfts);
            }
            ReadCluster(scope, condition, window, now, cluster, filter, emit);
        }
    }

    private static void ReadCluster(SqlScope scope, JobCondition condition, JobWindow window, long now, ClusterName cluster, SqlFilter filter,
        Action<JobRecord> emit)
    {
        bool truncate = (condition.Flags & JobConditionFlags.NoTruncate) == 0;
        var stepWindow = truncate ? window.TruncatedAt(now) : window;
        bool withSteps = WantsSteps(condition);
        var usedNodes = string.IsNullOrEmpty(condition.UsedNodes) ? null : HostList.Expand(condition.UsedNodes).ToHashSet(StringComparer.Ordinal);
        var reader = new JobStreamReader(new JobRecordAssembly(cluster.Name, truncate, stepWindow, now), JobSelection.Entries(condition), usedNodes, emit);
        reader.Read(scope, JobQuerySql.Older(condition, filter, truncate, stepWindow, withSteps), filter, newestOnly: false);
        reader.Read(scope, JobQuerySql.Newest(condition, filter, truncate, stepWindow, withSteps), filter, newestOnly: true);
    }

    /// <summary>
    /// No steps with NO_STEP or RUNAWAY, nor when the state list is PENDING alone (slurm_atoul, so a
    /// state that is no number counts as PENDING).
    /// </summary>
    private static bool WantsSteps(JobCondition condition) =>
        (condition.Flags & (JobConditionFlags.NoStep | JobConditionFlags.Runaway)) == 0
        && !(condition.StateList is [var only] && (!uint.TryParse(only, out uint state) || state == JobFilter.StatePending));
}
