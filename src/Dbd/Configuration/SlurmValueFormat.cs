using System.Globalization;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Configuration;

/// <summary>How Slurm prints times, durations and purge periods for people (parse_time.c, slurmdb_defs.c).</summary>
internal static class SlurmValueFormat
{
    private const int SecondsPerDay = 86400;

    /// <summary>
    /// slurm_make_time_str in its standard format, "%FT%T" in local time. slurmdbd would use
    /// SLURM_TIME_FORMAT from its environment instead; we always print the standard form.
    /// </summary>
    public static string Timestamp(long unixSeconds, TimeZoneInfo zone) => unixSeconds switch
    {
        0 or SlurmValues.Infinite => "Unknown",
        SlurmValues.NoVal => "None",
        _ => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(unixSeconds), zone)
            .ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
    };

    /// <summary>secs2time_str: <c>[days-]hh:mm:ss</c>, with null (INFINITE) as "UNLIMITED".</summary>
    public static string Duration(TimeSpan? duration)
    {
        if (duration is not TimeSpan span)
            return "UNLIMITED";

        long seconds = (long)span.TotalSeconds;
        if (seconds < 0)
            return "INVALID";

        long days = seconds / SecondsPerDay;
        string clock = string.Create(CultureInfo.InvariantCulture,
            $"{seconds / 3600 % 24:00}:{seconds / 60 % 60:00}:{seconds % 60:00}");
        return days > 0 ? string.Create(CultureInfo.InvariantCulture, $"{days}-{clock}") : clock;
    }

    /// <summary>slurmdb_purge_string with its archive mark: "NONE", or e.g. "12 months", "36 hours*".</summary>
    public static string Purge(PurgePeriod? period, bool archived) =>
        period is null ? "NONE" : archived ? $"{period}*" : period.Value.ToString();

    /// <summary>"%u secs", as slurmdbd prints MessageTimeout and TCPTimeout.</summary>
    public static string Seconds(TimeSpan span) =>
        string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalSeconds} secs");

    public static string YesNo(bool value) => value ? "Yes" : "No";
}
