using Accounting.Tests.Support;
using Xunit.Abstractions;

namespace Accounting.Tests.EndToEnd;

/// <summary>
/// A scripted sequence of sacctmgr account, user, coordinator, QOS and limit commands, errors included,
/// prints line for line what it printed against the real slurmdbd 22.05.8 (Fixtures/RealOutput, recorded
/// with scripts/record-real-transcript.sh on a fresh database), with munge and without.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class AccountsUsersQosTests(SharedServices services, ITestOutputHelper output)
{
    [Theory]
    [InlineData("auth/munge", "accounts-users-qos-auth-munge.txt")]
    [InlineData("auth/none", "accounts-users-qos-auth-none.txt")]
    [InlineData("auth/munge", "associations-and-limits-auth-munge.txt")]
    [InlineData("auth/none", "associations-and-limits-auth-none.txt")]
    [InlineData("auth/munge", "entity-queries-auth-munge.txt")]
    [InlineData("auth/none", "entity-queries-auth-none.txt")]
    public async Task The_scripted_sequence_prints_what_the_real_slurmdbd_printed(string authType, string fixture)
    {
        string expected = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "RealOutput", fixture));
        await using var daemon = await RunningDaemon.StartAsync(services, authType);

        string actual = await SacctmgrTranscript.RecordAsync(daemon, SacctmgrTranscript.CommandsOf(expected));

        output.WriteLine(actual);
        Assert.Equal(expected, actual);
    }
}
