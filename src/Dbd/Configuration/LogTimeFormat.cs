namespace Accounting.Dbd.Configuration;

/// <summary>LogTimeFormat values, in slurm.h's LOG_FMT_* order; the default is Iso8601Ms.</summary>
public enum LogTimeFormat
{
    Iso8601Ms,
    Iso8601,
    Rfc5424Ms,
    Rfc5424,
    Clock,
    Short,
    ThreadId,
}

internal static class LogTimeFormatNames
{
    // slurmdbd tests for each name anywhere in the value, in this order, so "iso8601_ms"
    // must be tried before "iso8601" and the first hit wins.
    private static readonly (string Name, LogTimeFormat Format)[] InMatchOrder =
    [
        ("iso8601_ms", LogTimeFormat.Iso8601Ms),
        ("iso8601", LogTimeFormat.Iso8601),
        ("rfc5424_ms", LogTimeFormat.Rfc5424Ms),
        ("rfc5424", LogTimeFormat.Rfc5424),
        ("clock", LogTimeFormat.Clock),
        ("short", LogTimeFormat.Short),
        ("thread_id", LogTimeFormat.ThreadId),
    ];

    public static bool TryParse(string text, out LogTimeFormat format)
    {
        foreach (var (name, candidate) in InMatchOrder)
        {
            if (text.Contains(name, StringComparison.OrdinalIgnoreCase))
            {
                format = candidate;
                return true;
            }
        }

        format = LogTimeFormat.Iso8601Ms;
        return false;
    }
}
