namespace Accounting.Dbd.Storage;

/// <summary>The table a usage read goes to (records spec §10.4).</summary>
public enum UsageGranularity
{
    Hour,
    Day,
    Month,
}

/// <summary>
/// set_usage_information (common_as.c; records spec §10.4): start and end truncated to the local hour,
/// a missing end is today 00:00 and a missing start yesterday 00:00, a window under an hour grows to one.
/// A window off local midnight, under a day or ending after now reads the hour table; one from a 1st to
/// a 1st (longer than a day) the month table; any other the day table. Rows with Start &lt;= time_start &lt; End.
/// </summary>
public sealed record UsageWindow(UsageGranularity Granularity, long Start, long End)
{
    private const long Hour = 3600;
    private const long Day = 86400;

    public static UsageWindow For(long start, long end, DateTimeOffset now, TimeZoneInfo zone)
    {
        DateTime endLocal = end == 0
            ? Local(now, zone).Date
            : TruncatedToHour(Local(DateTimeOffset.FromUnixTimeSeconds(end), zone));
        DateTime startLocal = start == 0
            ? Local(now, zone).Date.AddDays(-1)
            : TruncatedToHour(Local(DateTimeOffset.FromUnixTimeSeconds(start), zone));
        long startSeconds = ToEpoch(startLocal, zone), endSeconds = ToEpoch(endLocal, zone);
        if (endSeconds - startSeconds < Hour)
        {
            endSeconds = startSeconds + Hour;
            endLocal = Local(DateTimeOffset.FromUnixTimeSeconds(endSeconds), zone);
        }
        var granularity = startLocal.Hour != 0 || endLocal.Hour != 0 || endSeconds - startSeconds < Day || endSeconds > now.ToUnixTimeSeconds()
            ? UsageGranularity.Hour
            : startLocal.Day == 1 && endLocal.Day == 1 && endSeconds - startSeconds > Day ? UsageGranularity.Month : UsageGranularity.Day;
        return new UsageWindow(granularity, startSeconds, endSeconds);
    }

    /// <summary>The usage table of that kind ("cluster", "assoc", "wckey") at this granularity.</summary>
    public string Table(string kind) => $"{kind}_usage_{Granularity.ToString().ToLowerInvariant()}";

    private static DateTime Local(DateTimeOffset time, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(time, zone).DateTime;

    private static DateTime TruncatedToHour(DateTime local) => local.Date.AddHours(local.Hour);

    /// <summary>mktime with tm_isdst = -1: an hour that does not exist locally is taken in the offset before it.</summary>
    private static long ToEpoch(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var offset = zone.IsInvalidTime(unspecified) ? zone.GetUtcOffset(unspecified.AddHours(-1)) : zone.GetUtcOffset(unspecified);
        return new DateTimeOffset(unspecified, offset).ToUnixTimeSeconds();
    }
}
