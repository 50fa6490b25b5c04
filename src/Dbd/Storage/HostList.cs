namespace Accounting.Dbd.Storage;

/// <summary>
/// Slurm hostlist expressions as node lists are stored and sacct -N sends them ("node[01-04,07],login1";
/// src/common/hostlist.c): one bracket group per name, numeric ranges keep the width of their low bound.
/// </summary>
public static class HostList
{
    /// <summary>A range longer than this is taken literally rather than expanded (the reference caps ranges too).</summary>
    private const long MaxRange = 1 << 20;

    public static IEnumerable<string> Expand(string? expression)
    {
        foreach (string part in TopLevelParts(expression ?? ""))
        {
            int open = part.IndexOf('['), close = part.IndexOf(']');
            if (open < 0 || close < open)
            {
                yield return part;
                continue;
            }
            string prefix = part[..open], suffix = part[(close + 1)..];
            foreach (string range in part[(open + 1)..close].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                int dash = range.IndexOf('-');
                if (dash < 0 || !long.TryParse(range[..dash], out long low) || !long.TryParse(range[(dash + 1)..], out long high)
                    || high - low > MaxRange)
                {
                    yield return prefix + range + suffix;
                    continue;
                }
                int width = dash;
                for (long number = low; number <= high; number++)
                    yield return prefix + number.ToString().PadLeft(width, '0') + suffix;
            }
        }
    }

    /// <summary>Splits at the commas that are not inside brackets.</summary>
    private static IEnumerable<string> TopLevelParts(string expression)
    {
        int depth = 0, start = 0;
        for (int i = 0; i <= expression.Length; i++)
        {
            if (i < expression.Length && expression[i] == '[')
                depth++;
            else if (i < expression.Length && expression[i] == ']')
                depth--;
            else if (i == expression.Length || (expression[i] == ',' && depth == 0))
            {
                string part = expression[start..i].Trim();
                if (part.Length > 0)
                    yield return part;
                start = i + 1;
            }
        }
    }
}
