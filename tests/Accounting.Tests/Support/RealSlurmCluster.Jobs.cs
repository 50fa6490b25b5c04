using System.Text.RegularExpressions;

namespace Accounting.Tests.Support;

/// <summary>Submitting jobs to the real controller and reading its DBD agent queue, for the end-to-end tests.</summary>
public sealed partial class RealSlurmCluster
{
    /// <summary>sbatch --wrap <paramref name="command"/> in the work directory; the job id it printed.</summary>
    public async Task<uint> SubmitAsync(string command, params string[] options)
    {
        var result = await RunAsync("/usr/bin/sbatch", ["--chdir", WorkDirectory, "--output", "/dev/null", .. options, "--wrap", command]);
        var match = SubmittedPattern().Match(result.StandardOutput);
        Assert.True(match.Success, result.Combined);
        return uint.Parse(match.Groups[1].Value);
    }

    /// <summary>sdiag's "DBD Agent queue size", or null when sdiag printed none.</summary>
    public static int? AgentQueueSize(string sdiag) =>
        AgentQueuePattern().Match(sdiag) is { Success: true } match ? int.Parse(match.Groups[1].Value) : null;

    [GeneratedRegex(@"Submitted batch job (\d+)")]
    private static partial Regex SubmittedPattern();

    [GeneratedRegex(@"DBD Agent queue size:\s*(\d+)")]
    private static partial Regex AgentQueuePattern();
}
