namespace Accounting.Dbd.Configuration;

/// <summary>Slurm's log_level_t; the numeric values are the ones DebugLevel=N accepts.</summary>
public enum SlurmLogLevel
{
    Quiet = 0,
    Fatal = 1,
    Error = 2,
    Info = 3,
    Verbose = 4,
    Debug = 5,
    Debug2 = 6,
    Debug3 = 7,
    Debug4 = 8,
    Debug5 = 9,
}

/// <summary>The spellings of DebugLevel and DebugLevelSyslog (log_string2num / log_num2string).</summary>
public static class SlurmLogLevelNames
{
    private static readonly string[] Names =
        ["quiet", "fatal", "error", "info", "verbose", "debug", "debug2", "debug3", "debug4", "debug5"];

    /// <summary>A name (any case) or its number 0..9.</summary>
    public static bool TryParse(string text, out SlurmLogLevel level)
    {
        // Slurm takes anything starting with a digit through atoi() and keeps
        // out-of-range numbers; we only take the numbers that name a level.
        if (text.Length > 0 && char.IsAsciiDigit(text[0]))
        {
            level = default;
            if (!text.All(char.IsAsciiDigit) || !int.TryParse(text, out int number) || number >= Names.Length)
                return false;
            level = (SlurmLogLevel)number;
            return true;
        }

        int index = Array.FindIndex(Names, name => name.Equals(text, StringComparison.OrdinalIgnoreCase));
        level = (SlurmLogLevel)Math.Max(index, 0);
        return index >= 0;
    }

    public static string ToSlurmName(this SlurmLogLevel level) => Names[(int)level];
}
