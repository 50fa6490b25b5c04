using System.Diagnostics;
using Accounting.Tests.Support;
using Xunit.Abstractions;

namespace Accounting.Tests.EndToEnd;

/// <summary>
/// A registered real slurmctld learns sacctmgr's changes from our ACCOUNTING_UPDATE_MSG pushes (wire spec §11.8)
/// without a restart: its assoc_mgr shows a new account's user association, then the limit set on it, then a
/// new QOS with the limits set on it.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class RealControllerUpdateTests(SharedServices services, ITestOutputHelper output)
{
    [Fact]
    public async Task A_running_controller_shows_added_associations_and_modified_limits()
    {
        await using var daemon = await RunningDaemon.StartAsync(services);
        await using var cluster = await RealSlurmCluster.StartAsync(daemon, services);
        try
        {
            await SacctmgrOkAsync(daemon, "-i", "add", "account", "physics", "cluster=alpha");
            await SacctmgrOkAsync(daemon, "-i", "add", "user", "nobody", "account=physics", "cluster=alpha");
            await EventuallyAsync(cluster, ["users=nobody", "accounts=physics", "flags=assoc"], text => text.Contains("UserName=nobody(65534)") && text.Contains("Account=physics"), "new association");

            await SacctmgrOkAsync(daemon, "-i", "modify", "user", "nobody", "set", "maxjobs=7");
            await EventuallyAsync(cluster, ["users=nobody", "accounts=physics", "flags=assoc"], text => text.Contains("MaxJobs=7("), "MaxJobs=7");

            await SacctmgrOkAsync(daemon, "-i", "add", "qos", "fast");
            await SacctmgrOkAsync(daemon, "-i", "modify", "qos", "fast", "set", "priority=5", "maxwall=60");
            await EventuallyAsync(cluster, ["flags=qos", "qos=fast"], text => text.Contains("QOS=fast(") && text.Contains("Priority=5")
                && text.Contains("MaxWallPJ=60"), "QOS fast with its limits");
        }
        catch
        {
            output.WriteLine(cluster.Logs());
            output.WriteLine(daemon.Log());
            throw;
        }
    }

    private static async Task SacctmgrOkAsync(RunningDaemon daemon, params string[] arguments)
    {
        var result = await daemon.SacctmgrAsync(arguments);
        Assert.True(result.ExitCode == 0, result.Combined);
    }

    /// <summary>Polls the controller's own association cache, which only our pushes can change.</summary>
    private async Task EventuallyAsync(RealSlurmCluster cluster, string[] filter, Func<string, bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        string text = "";
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            var result = await cluster.RunAsync("/usr/bin/scontrol", ["show", "assoc_mgr", .. filter]);
            text = result.Combined;
            if (condition(text))
                return;
            await Task.Delay(250);
        }
        output.WriteLine(text);
        throw new TimeoutException($"controller does not show {what} within 10 s");
    }
}
