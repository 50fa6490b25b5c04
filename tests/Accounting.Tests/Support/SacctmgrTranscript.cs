using System.Text;
using System.Text.RegularExpressions;

namespace Accounting.Tests.Support;

/// <summary>
/// A run of sacctmgr commands written as the real-output fixtures are ("$ sacctmgr ARGS", output,
/// "[exit N]"), and the normalisation that makes runs at different times comparable.
/// </summary>
public static partial class SacctmgrTranscript
{
    public static Task<string> RecordAsync(RunningDaemon daemon, IEnumerable<string> commands) =>
        RecordAsync(daemon.SacctmgrAsync, commands);

    public static Task<string> RecordAsync(Func<string[], Task<ProcessResult>> sacctmgr, IEnumerable<string> commands) =>
        RecordAsync("sacctmgr", sacctmgr, commands);

    /// <summary>The same for another client (sreport), written as "$ TOOL ARGS".</summary>
    public static async Task<string> RecordAsync(string tool, Func<string[], Task<ProcessResult>> run, IEnumerable<string> commands)
    {
        var transcript = new StringBuilder();
        foreach (string command in commands)
        {
            var result = await run(command.Split(' '));
            transcript.Append("$ ").Append(tool).Append(' ').Append(command).Append('\n');
            transcript.Append(result.StandardOutput);
            transcript.Append("[exit ").Append(result.ExitCode).Append("]\n");
        }
        return transcript.ToString();
    }

    public static IReadOnlyList<string> CommandsOf(string transcript, string tool = "sacctmgr") =>
        transcript.Split('\n').Where(line => line.StartsWith($"$ {tool} ")).Select(line => line[$"$ {tool} ".Length..]).ToList();

    /// <summary>
    /// Clock readings and timings become placeholders; RPC counter lines keep name, id and count but are
    /// sorted, because sacctmgr orders equal counts by their (timing-dependent) total time. In the rollup
    /// blocks the microseconds of a cycle become a placeholder and the number of cycles stays.
    /// </summary>
    public static string Normalize(string transcript)
    {
        var lines = new List<string>();
        var counters = new List<string>();
        foreach (string raw in transcript.Split('\n'))
        {
            string line = raw;
            var counter = RpcCounter().Match(line);
            if (counter.Success)
            {
                counters.Add($"\t{counter.Groups["name"].Value.TrimEnd()} ({counter.Groups["id"].Value.Trim()}) count:{counter.Groups["count"].Value}");
                continue;
            }
            FlushCounters(lines, counters);
            line = StatsClock().Replace(line, "<time> (<epoch>)");
            line = RollupTiming().Replace(line, "${label}<microseconds>");
            lines.Add(line);
        }
        FlushCounters(lines, counters);
        return string.Join('\n', lines);
    }

    private static void FlushCounters(List<string> lines, List<string> counters)
    {
        lines.AddRange(counters.Order(StringComparer.Ordinal));
        counters.Clear();
    }

    [GeneratedRegex(@"^\t(?<name>\S.*?)\s*\(\s*(?<id>\d+)\) count:(?<count>\d+)\s+ave_time:\d+\s+total_time:\d+$")]
    private static partial Regex RpcCounter();

    [GeneratedRegex(@"^(?<label>\t(Last cycle|Max cycle|Total time|Mean cycle):\s+)\d+$")]
    private static partial Regex RollupTiming();

    [GeneratedRegex(@"\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} \d{4} \(\d+\)")]
    private static partial Regex StatsClock();
}
