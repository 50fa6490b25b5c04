using Accounting.Tests.Support;
using Xunit.Abstractions;

namespace Accounting.Tests.EndToEnd;

/// <summary>
/// `sacctmgr dump` and `sacctmgr load` (file_functions.c) against our daemon: the dump after a sequence
/// of adds equals the one the real slurmdbd wrote, and loading it into a fresh daemon rebuilds the same
/// associations and users, and dumps again to the same file.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class DumpAndLoadTests(SharedServices services, ITestOutputHelper output)
{
    private static string Fixture(string folder, string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", folder, name);

    [Fact]
    public async Task The_dump_equals_the_real_one_and_loads_into_a_fresh_daemon_as_the_original()
    {
        using var directory = new TemporaryDirectory("dump");
        string dump = directory.File("alpha.cfg");
        await using var original = await RunningDaemon.StartAsync(services, "auth/none");
        foreach (string line in await File.ReadAllLinesAsync(Fixture("Scripts", "dump-and-load.txt")))
            await OkAsync(original, line.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        await OkAsync(original, "dump", "alpha", $"file={dump}");
        Assert.Equal(await File.ReadAllTextAsync(Fixture("RealOutput", "dump-alpha-auth-none.cfg")), await File.ReadAllTextAsync(dump));

        await using var copy = await RunningDaemon.StartAsync(services, "auth/none");
        // A dump names QOS but does not define them; the load needs them to exist.
        await OkAsync(copy, "-i", "add", "qos", "fast", "priority=10", "maxwall=01:00:00");
        await OkAsync(copy, "-i", "load", dump);
        foreach (string[] show in new[] { new[] { "-n", "-P", "show", "assoc" }, ["-n", "-P", "show", "user"] })
            Assert.Equal((await OkAsync(original, show)).StandardOutput, (await OkAsync(copy, show)).StandardOutput);
        // Dumped again, the copy has everything the file carries, coordinators and descriptions included.
        string again = directory.File("again.cfg");
        await OkAsync(copy, "dump", "alpha", $"file={again}");
        Assert.Equal(await File.ReadAllTextAsync(dump), await File.ReadAllTextAsync(again));
    }

    private async Task<ProcessResult> OkAsync(RunningDaemon daemon, params string[] arguments)
    {
        var result = await daemon.SacctmgrAsync(arguments);
        output.WriteLine($"$ sacctmgr {string.Join(' ', arguments)}\n{result.Combined}");
        Assert.True(result.ExitCode == 0, result.Combined);
        return result;
    }
}
