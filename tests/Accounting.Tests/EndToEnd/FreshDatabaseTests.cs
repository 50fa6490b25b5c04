using Accounting.Tests.Support;
using Xunit.Abstractions;

namespace Accounting.Tests.EndToEnd;

/// <summary>
/// Debian's real sacctmgr against our daemon on a new database prints what it printed against the real
/// slurmdbd 22.05.8 on a new database (Fixtures/RealOutput), with munge and without.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class FreshDatabaseTests(SharedServices services, ITestOutputHelper output)
{
    [Theory]
    [InlineData("auth/munge", "fresh-database-auth-munge.txt")]
    [InlineData("auth/none", "fresh-database-auth-none.txt")]
    public async Task Show_cluster_tres_qos_and_stats_print_what_the_real_slurmdbd_prints(string authType, string fixture)
    {
        string expected = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "RealOutput", fixture));
        await using var daemon = await RunningDaemon.StartAsync(services, authType);

        string actual = await SacctmgrTranscript.RecordAsync(daemon, SacctmgrTranscript.CommandsOf(expected));

        output.WriteLine(actual);
        output.WriteLine(daemon.Log());
        Assert.Equal(SacctmgrTranscript.Normalize(expected), SacctmgrTranscript.Normalize(actual));
    }
}
