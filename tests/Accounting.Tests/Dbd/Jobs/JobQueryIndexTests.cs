using Accounting.Dbd.Storage;
using Accounting.Model.Records;
using Accounting.Tests.Support;
using Dapper;

namespace Accounting.Tests.Dbd.Jobs;

/// <summary>
/// The job query's row selection is index backed on a large table (issue: large answers): EXPLAIN of the
/// statement JobQuerySql builds shows the job table read through a 0002 index, not scanned.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class JobQueryIndexTests(SharedServices services)
{
    private const long Year2025 = 1735689600, Year2026 = 1767225600;

    public static TheoryData<string, string[]> Filters => new()
    {
        // The last day of the jobs, like sacct's default window (today) over a long history: the jobs not
        // ended before the start (time_end >= start OR time_end = 0) are two ranges of rollup2.
        { "window", ["rollup2"] },
        { "user", ["sacct_user"] },
        { "account", ["account"] },
        { "state", ["by_state", "rollup2"] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task The_job_table_is_read_through_an_index(string filterName, string[] indexes)
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await CapturedJobs.PrepareAsync(daemon, services, munge: false, withJobs: false);
        using var connection = JobTableRows.Open(services, daemon.Database);
        uint alpha = JobTableRows.ClusterId(connection, "alpha");
        JobTableRows.InsertSynthetic(connection, alpha, 100_000);
        // A few jobs of a rare user, account and state, so that the selective filter is the best plan.
        connection.Execute("UPDATE job SET id_user = 4242, account = 'rare', state = 7 WHERE id_job % 10000 = 1");
        connection.Execute("ANALYZE TABLE job");

        var condition = filterName switch
        {
            "window" => Condition(Year2025 + 346 * 86400, Year2026),
            "user" => Condition(Year2025, Year2026) with { UserIdList = ["4242"] },
            "account" => Condition(Year2025, Year2026) with { AccountList = ["rare"] },
            _ => Condition(Year2025, Year2026) with { StateList = ["7"] },
        };
        var window = JobWindow.For(condition, DateTimeOffset.UtcNow, TimeZoneInfo.Utc);
        var filter = JobFilter.For(condition, alpha, window);
        string sql = JobQuerySql.Newest(condition, filter, truncate: false, window, withSteps: false);
        var plan = connection.Query("EXPLAIN " + sql, filter.Parameters).Cast<IDictionary<string, object?>>().ToList();

        var jobTable = plan.Single(row => (string?)row["table"] == "t1");
        Assert.True(jobTable["key"] is string key && indexes.Contains(key),
            $"{filterName}: job table read by {jobTable["type"]} via {jobTable["key"] ?? "no index"}, possible {jobTable["possible_keys"]}");
        Assert.NotEqual("ALL", jobTable["type"]);
    }

    private static JobCondition Condition(long start, long end) => new()
    {
        ClusterList = ["alpha"],
        Flags = JobConditionFlags.NoTruncate | JobConditionFlags.NoStep,
        UsageStart = start,
        UsageEnd = end,
    };
}
