using Accounting.Tests.Support;
using Xunit.Abstractions;

namespace Accounting.Tests.EndToEnd;

/// <summary>
/// sreport's cluster, user, job and reservation reports against our daemon holding <see cref="UsageDataSet"/>
/// print line for line what they printed against the real slurmdbd 22.05.8 holding the same set
/// (Fixtures/RealOutput/sreport-usage-auth-munge.txt, recorded with TOOL=sreport scripts/record-real-transcript.sh).
/// Every command names its window, so nothing is normalised. The fixture was recorded with the local
/// time zone UTC; day and month windows follow the daemon's local zone, so these tests assume UTC too.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class SreportTests(SharedServices services, ITestOutputHelper output)
{
    private const string Fixture = "sreport-usage-auth-munge.txt";

    /// <summary>
    /// The read path alone: the usage tables hold the rows the real slurmdbd's rollup wrote (translated to
    /// our association ids), the jobs and the reservation come through the wire as from slurmctld.
    /// </summary>
    [Fact]
    public async Task Reports_from_the_real_rollups_rows_print_what_the_real_slurmdbd_printed()
    {
        string expected = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "RealOutput", Fixture));
        await using var daemon = await UsageDataSet.StartDaemonAsync(services);
        await using (var database = services.MariaDb.Connect(daemon.Database))
            RealUsageTables.Insert(database, UsageDataSet.Cluster);

        string actual = await SacctmgrTranscript.RecordAsync("sreport", daemon.SreportAsync, SacctmgrTranscript.CommandsOf(expected, "sreport"));

        output.WriteLine(actual);
        Assert.Equal(expected, actual);
    }

    /// <summary>
    /// End to end: our rollup (sacctmgr rollup over the same two windows as on the real daemon) makes the
    /// usage, and the reports print what the real slurmdbd printed.
    /// </summary>
    [Fact]
    public async Task Reports_after_our_rollup_print_what_the_real_slurmdbd_printed()
    {
        string expected = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "RealOutput", Fixture));
        await using var daemon = await UsageDataSet.StartDaemonAsync(services);
        foreach (string end in new[] { "2026-11-26T00:00:00", "2026-12-01T00:00:00" })
            Assert.Equal(0, (await daemon.SacctmgrAsync("-i", "rollup", "2026-11-23T00:00:00", end)).ExitCode);

        string actual = await SacctmgrTranscript.RecordAsync("sreport", daemon.SreportAsync, SacctmgrTranscript.CommandsOf(expected, "sreport"));

        output.WriteLine(actual);
        Assert.Equal(expected, actual);
    }
}
