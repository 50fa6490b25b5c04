using Accounting.Tests.Support;
using Dapper;
using MySql.Data.MySqlClient;
using Xunit.Abstractions;

namespace Accounting.Tests.EndToEnd;

/// <summary>
/// The usage rows our rollup writes for <see cref="RollupDataSet"/> are the rows the real slurmdbd 22.05.8
/// wrote for it (Fixtures/RealOutput/rollup-usage-alpha.tsv, read from its alpha_usage_*_table,
/// alpha_assoc_usage_*_table and alpha_resv_table). Associations are named by account/user, so their ids
/// may differ. To record the fixture again, point ROLLUP_REAL at a real auth/none slurmdbd on a fresh
/// database: "SLURM_CONF-of-a-client|connection-string-of-its-database|fixture-path-to-write"; the
/// `sacctmgr show stats` that follows goes to rollup-stats-alpha.txt beside it.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class RollupComparisonTests(SharedServices services, ITestOutputHelper output)
{
    private static readonly string FixturePath = Path.Combine(AppContext.BaseDirectory, "Fixtures", "RealOutput", "rollup-usage-alpha.tsv");
    private static readonly string StatsFixturePath = Path.Combine(AppContext.BaseDirectory, "Fixtures", "RealOutput", "rollup-stats-alpha.txt");

    private static readonly long Start = RollupDataSet.Day, End = RollupDataSet.Day + 86400;
    private static readonly long November = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    [Fact]
    public async Task Sacctmgr_roll_over_a_synthetic_day_writes_the_usage_rows_the_real_slurmdbd_writes()
    {
        string usageFixture = FixturePath, statsFixture = StatsFixturePath;
        if (Environment.GetEnvironmentVariable("ROLLUP_REAL") is { Length: > 0 } real)
            (usageFixture, statsFixture) = await RecordRealAsync(real);

        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await RollupDataSet.LoadAsync(daemon.SacctmgrAsync, daemon.EndPoint);
        await RollupDataSet.RollAsync(daemon.SacctmgrAsync);
        var names = Names(await RollupDataSet.AssociationIdsAsync(daemon.SacctmgrAsync));

        using var connection = JobTableRows.Open(services, daemon.Database);
        uint alpha = JobTableRows.ClusterId(connection, "alpha");
        var ours = Rows(connection, names,
            granularity => $"SELECT time_start, id_tres, `count`, alloc_secs, down_secs, pdown_secs, idle_secs, over_secs, plan_secs FROM cluster_usage_{granularity} WHERE cluster_id = {alpha}",
            granularity => $"SELECT time_start, id_assoc, id_tres, alloc_secs FROM assoc_usage_{granularity} WHERE cluster_id = {alpha}",
            $"SELECT id_resv, time_start, unused_wall FROM resv WHERE cluster_id = {alpha}");

        string expected = await File.ReadAllTextAsync(usageFixture);
        output.WriteLine(string.Join('\n', ours));
        Assert.Equal(expected.Split('\n', StringSplitOptions.RemoveEmptyEntries), ours);

        // The statistics then: the start-up pass, the sacctmgr roll call, and alpha's first rollup (which
        // the reference stores with a count of 0).
        string stats = await SacctmgrTranscript.RecordAsync(daemon, ["show stats"]);
        output.WriteLine(stats);
        Assert.Equal(SacctmgrTranscript.Normalize(await File.ReadAllTextAsync(statsFixture)), SacctmgrTranscript.Normalize(stats));
    }

    private static Dictionary<uint, string> Names(Dictionary<string, uint> ids) => ids.ToDictionary(pair => pair.Value, pair => pair.Key);

    /// <summary>Lines "kind start what values", sorted; the window is the day's hours, the day and November.</summary>
    private static List<string> Rows(MySqlConnection connection, Dictionary<uint, string> names, Func<string, string> clusterSql,
        Func<string, string> assocSql, string resvSql)
    {
        var lines = new List<string>();
        foreach (var (granularity, from, to) in new[] { ("hour", Start, End), ("day", Start, End), ("month", November, November + 1) })
        {
            string window = $" AND time_start >= {from} AND time_start < {to}";
            string clusterQuery = clusterSql(granularity);
            clusterQuery += clusterQuery.Contains(" WHERE ") ? window : " WHERE " + window[5..];
            foreach (var row in connection.Query<(long Start, uint Tres, ulong Count, ulong Alloc, ulong Down, ulong Pdown, ulong Idle, ulong Over, ulong Plan)>(clusterQuery))
                lines.Add($"cluster_{granularity}\t{row.Start}\t{row.Tres}\tcount={row.Count} alloc={row.Alloc} down={row.Down} pdown={row.Pdown} idle={row.Idle} over={row.Over} plan={row.Plan}");
            string assocQuery = assocSql(granularity);
            assocQuery += assocQuery.Contains(" WHERE ") ? window : " WHERE " + window[5..];
            foreach (var row in connection.Query<(long Start, uint Id, uint Tres, ulong Alloc)>(assocQuery))
                lines.Add($"assoc_{granularity}\t{row.Start}\t{names.GetValueOrDefault(row.Id, $"id {row.Id}")}\t{row.Tres}\talloc={row.Alloc}");
        }
        foreach (var row in connection.Query<(uint Id, long Start, double Unused)>(resvSql))
            lines.Add($"resv\t{row.Start}\t{row.Id}\tunused_wall={row.Unused:F6}");
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>Loads and rolls the data set on the real slurmdbd and writes the fixtures; returns their paths.</summary>
    private async Task<(string Usage, string Stats)> RecordRealAsync(string real)
    {
        string[] parts = real.Split('|', 3);
        string slurmConf = parts[0], connectionString = parts[1], fixture = parts[2];
        Task<ProcessResult> Sacctmgr(string[] arguments) =>
            ProcessRunner.RunAsync("/bin/sh", ["-c", "exec sacctmgr \"$@\" 2>&1", "sacctmgr", .. arguments],
                new Dictionary<string, string> { ["SLURM_CONF"] = slurmConf });
        string port = File.ReadLines(slurmConf).First(line => line.StartsWith("AccountingStoragePort="))["AccountingStoragePort=".Length..];
        await RollupDataSet.LoadAsync(Sacctmgr, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, int.Parse(port)));
        await RollupDataSet.RollAsync(Sacctmgr);
        var names = Names(await RollupDataSet.AssociationIdsAsync(Sacctmgr));
        using var connection = new MySqlConnection(connectionString);
        connection.Open();
        var lines = Rows(connection, names,
            granularity => $"SELECT time_start, id_tres, `count`, alloc_secs, down_secs, pdown_secs, idle_secs, over_secs, plan_secs FROM alpha_usage_{granularity}_table",
            granularity => $"SELECT time_start, id, id_tres, alloc_secs FROM alpha_assoc_usage_{granularity}_table",
            "SELECT id_resv, time_start, unused_wall FROM alpha_resv_table");
        string stats = Path.Combine(Path.GetDirectoryName(fixture)!, "rollup-stats-alpha.txt");
        await File.WriteAllTextAsync(fixture, string.Join('\n', lines) + "\n");
        await File.WriteAllTextAsync(stats, await SacctmgrTranscript.RecordAsync(Sacctmgr, ["show stats"]));
        output.WriteLine($"recorded {lines.Count} rows into {fixture}");
        return (fixture, stats);
    }
}
