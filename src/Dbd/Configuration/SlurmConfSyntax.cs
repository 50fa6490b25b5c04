using System.Text;
using System.Text.RegularExpressions;

namespace Accounting.Dbd.Configuration;

/// <summary>
/// The line syntax of Slurm's configuration files (src/common/parse_config.c, s_p_parse_file),
/// which slurmdbd.conf shares with slurm.conf:
/// <list type="bullet">
/// <item>one <c>Key=Value</c> per line, the key case-insensitive, spaces allowed around '=';</item>
/// <item>a value is a run of non-blanks, or double-quoted to contain blanks;</item>
/// <item>'#' starts a comment unless escaped as <c>\#</c>; a backslash makes the next character literal;</item>
/// <item>an odd number of backslashes ending a line joins the next line onto it;</item>
/// <item><c>Include FILE</c> at the very start of a line reads FILE in place, relative to the including file.</item>
/// </list>
/// </summary>
internal static partial class SlurmConfSyntax
{
    private const string CWhitespace = " \t\n\v\f\r";

    // Slurm allows an operator before '=' (Key+=Value); slurmdbd's keys ignore it, and so do we.
    [GeneratedRegex("""^[ \t\n\v\f\r]*([A-Za-z0-9_.]+)[ \t\n\v\f\r]*[-*+/]?=[ \t\n\v\f\r]*(?:"([^"]*)"(?=[ \t\n\v\f\r]|$)|([^ \t\n\v\f\r]+))""",
        RegexOptions.CultureInvariant)]
    private static partial Regex KeyValue();

    /// <summary>The settings in <paramref name="text"/>, in file order, with included files expanded.</summary>
    /// <exception cref="ConfigException">A line that is not a setting, or an Include that cannot be read.</exception>
    public static IReadOnlyList<ConfigEntry> Read(string text, string fileName)
    {
        var entries = new List<ConfigEntry>();
        Read(text, fileName, entries, [Path.GetFullPath(fileName)]);
        return entries;
    }

    private static void Read(string text, string fileName, List<ConfigEntry> entries, List<string> includeChain)
    {
        foreach (var (line, number) in LogicalLines(text))
        {
            var location = new ConfigLocation(fileName, number);
            if (IsBlank(line))
                continue;

            if (IncludedFile(line, location) is string included)
            {
                ReadIncluded(included, fileName, location, entries, includeChain);
                continue;
            }

            var match = KeyValue().Match(line);
            // Neither error echoes the line: it could be part of StoragePass.
            if (!match.Success)
                throw location.Error("line is not of the form Key=Value");

            string key = match.Groups[1].Value;
            if (!IsBlank(line.AsSpan(match.Index + match.Length)))
                throw location.Error($"unexpected text after the value of {key}");

            string value = match.Groups[2].Success ? match.Groups[2].Value : match.Groups[3].Value;
            entries.Add(new ConfigEntry(key, value, location));
        }
    }

    private static void ReadIncluded(
        string included, string fileName, ConfigLocation location, List<ConfigEntry> entries, List<string> includeChain)
    {
        string path = Path.IsPathRooted(included)
            ? included
            : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(fileName)) ?? "/", included);
        string fullPath = Path.GetFullPath(path);
        if (includeChain.Contains(fullPath))
            throw location.Error($"Include of {path} loops back to a file that includes it");

        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw location.Error($"\"Include\" of {path} failed: {e.Message}");
        }

        Read(text, path, entries, [.. includeChain, fullPath]);
    }

    /// <summary>The file named by an Include line, or null when the line is a setting.</summary>
    private static string? IncludedFile(string line, ConfigLocation location)
    {
        const string Include = "include";
        if (!line.StartsWith(Include, StringComparison.OrdinalIgnoreCase)
            || line.Length == Include.Length || !CWhitespace.Contains(line[Include.Length]))
            return null;

        string[] words = line[Include.Length..].Split(CWhitespace.ToCharArray(), StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
            throw location.Error("Include without a file name");
        if (words.Length > 1)
            throw location.Error($"unexpected text after Include {words[0]}");
        // %c stands for ClusterName, which slurmdbd.conf does not have, so Slurm fails the Include.
        if (words[0].Contains("%c", StringComparison.Ordinal))
            throw location.Error($"\"Include\" of {words[0]} failed: no ClusterName for %c in slurmdbd.conf");
        return words[0];
    }

    /// <summary>
    /// Physical lines joined by continuations, comments removed, escapes resolved, each with the
    /// number of its first physical line (as Slurm counts them for messages).
    /// </summary>
    private static IEnumerable<(string Line, int Number)> LogicalLines(string text)
    {
        string[] physical = text.Split('\n');
        // A final newline does not start another line.
        int count = physical.Length > 0 && physical[^1].Length == 0 ? physical.Length - 1 : physical.Length;
        var joined = new StringBuilder();
        int start = 1;
        for (int i = 0; i < count; i++)
        {
            string line = WithoutComment(physical[i]);
            if (ContinuedLength(line) is int kept)
            {
                joined.Append(line, 0, kept);
                continue;
            }

            joined.Append(line);
            yield return (Unescape(joined.ToString()), start);
            joined.Clear();
            start = i + 2;
        }

        if (joined.Length > 0)
            yield return (Unescape(joined.ToString()), start);
    }

    // '#' starts a comment when preceded by an even number of backslashes.
    private static string WithoutComment(string line)
    {
        int backslashes = 0;
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '#' && backslashes % 2 == 0)
                return line[..i];
            backslashes = line[i] == '\\' ? backslashes + 1 : 0;
        }

        return line;
    }

    /// <summary>
    /// If the line ends (ignoring trailing blanks) in an odd run of backslashes, the length to keep:
    /// everything before the last backslash. Otherwise null.
    /// </summary>
    private static int? ContinuedLength(string line)
    {
        int end = line.AsSpan().TrimEnd(CWhitespace).Length;
        int run = line.AsSpan(0, end).Length - line.AsSpan(0, end).TrimEnd('\\').Length;
        return run % 2 == 1 ? end - 1 : null;
    }

    // Every backslash is dropped and the character after it kept: "\#" is '#', "\\" is '\'.
    private static string Unescape(string line)
    {
        if (!line.Contains('\\'))
            return line;

        var result = new StringBuilder(line.Length);
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\')
                i++;
            if (i < line.Length)
                result.Append(line[i]);
        }

        return result.ToString();
    }

    private static bool IsBlank(ReadOnlySpan<char> text) => text.TrimStart(CWhitespace).IsEmpty;
}
