using System.Globalization;

namespace Accounting.Dbd.Configuration;

/// <summary>The unit of a Purge*After period (SLURMDB_PURGE_HOURS/DAYS/MONTHS).</summary>
public enum PurgeUnit
{
    Hours,
    Days,
    Months,
}

/// <summary>
/// How old records must be before a Purge*After setting removes them, e.g. <c>12months</c> or <c>36h</c>.
/// A setting that is absent is represented by no PurgePeriod at all: those records are never purged.
/// </summary>
public readonly record struct PurgePeriod(int Count, PurgeUnit Unit)
{
    /// <summary>Slurm keeps the count in the low 16 bits of the purge value (SLURMDB_PURGE_BASE).</summary>
    public const int MaxCount = 0xFFFF;

    /// <summary>
    /// slurmdb_parse_purge: digits, then optionally a unit. No unit means months; a unit may be
    /// shortened to any prefix and is case-insensitive ("12", "12mo", "7d", "36HOURS").
    /// </summary>
    public static bool TryParse(string text, out PurgePeriod period)
    {
        period = default;
        int digits = text.TakeWhile(char.IsAsciiDigit).Count();
        if (digits == 0 || !int.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count > MaxCount)
            return false;

        string unit = text[digits..];
        PurgeUnit? parsed = unit.Length == 0 || IsPrefixOf(unit, "months") ? PurgeUnit.Months
            : IsPrefixOf(unit, "hours") ? PurgeUnit.Hours
            : IsPrefixOf(unit, "days") ? PurgeUnit.Days
            : null;
        if (parsed is null)
            return false;

        period = new PurgePeriod(count, parsed.Value);
        return true;
    }

    /// <summary>slurmdb_purge_string, e.g. "12 months"; the configuration dump adds "*" when archiving.</summary>
    public override string ToString() => $"{Count} {Unit.ToString().ToLowerInvariant()}";

    private static bool IsPrefixOf(string unit, string word) =>
        word.StartsWith(unit, StringComparison.OrdinalIgnoreCase);
}
