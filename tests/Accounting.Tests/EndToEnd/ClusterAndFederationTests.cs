using Accounting.Tests.Support;
using Xunit.Abstractions;

namespace Accounting.Tests.EndToEnd;

/// <summary>
/// A scripted sequence of sacctmgr cluster and federation commands, errors included, prints line for line
/// what it printed against the real slurmdbd 22.05.8 (Fixtures/RealOutput, recorded with
/// scripts/record-real-transcript.sh), with munge and without.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class ClusterAndFederationTests(SharedServices services, ITestOutputHelper output)
{
    [Theory]
    [InlineData("auth/munge", "clusters-and-federations-auth-munge.txt")]
    [InlineData("auth/none", "clusters-and-federations-auth-none.txt")]
    [InlineData("auth/munge", "federation-limits-auth-munge.txt")]
    [InlineData("auth/none", "federation-limits-auth-none.txt")]
    public async Task The_scripted_sequence_prints_what_the_real_slurmdbd_printed(string authType, string fixture)
    {
        string expected = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "RealOutput", fixture));
        await using var daemon = await RunningDaemon.StartAsync(services, authType);

        string actual = await SacctmgrTranscript.RecordAsync(daemon, SacctmgrTranscript.CommandsOf(expected));

        output.WriteLine(actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task An_ordinary_user_is_refused_what_the_real_slurmdbd_refuses_with_the_same_words()
    {
        string expected = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "RealOutput", "non-root-user-auth-none.txt"));
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await daemon.SacctmgrAsync("-i", "add", "cluster", "alpha");

        string actual = await SacctmgrTranscript.RecordAsync(daemon.SacctmgrAsNobodyAsync, SacctmgrTranscript.CommandsOf(expected));

        output.WriteLine(actual);
        Assert.Equal(expected, actual);
    }
}
