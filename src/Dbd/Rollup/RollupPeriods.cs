namespace Accounting.Dbd.Rollup;

/// <summary>
/// Hour, day and month boundaries in the daemon's local time, as the reference computes them with
/// localtime_r and mktime: a day runs from local midnight to local midnight (23 or 25 hours across a
/// daylight-saving change), a month from the 1st at 00:00.
/// </summary>
public sealed class RollupPeriods(TimeZoneInfo zone)
{
    public TimeZoneInfo Zone { get; } = zone;

    public long HourStart(long time)
    {
        var local = Local(time);
        return Epoch(new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0), local.Offset);
    }

    public long DayStart(long time)
    {
        var local = Local(time);
        return Epoch(new DateTime(local.Year, local.Month, local.Day));
    }

    public long NextDay(long dayStart) => Epoch(Local(dayStart).Date.AddDays(1));

    public long MonthStart(long time)
    {
        var local = Local(time);
        return Epoch(new DateTime(local.Year, local.Month, 1));
    }

    public long NextMonth(long monthStart)
    {
        var local = Local(monthStart);
        return Epoch(new DateTime(local.Year, local.Month, 1).AddMonths(1));
    }

    private DateTimeOffset Local(long time) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(time), Zone);

    /// <summary>A local wall-clock time as epoch seconds; one skipped by a DST change moves forward, as mktime does.</summary>
    private long Epoch(DateTime local)
    {
        while (Zone.IsInvalidTime(local))
            local = local.AddHours(1);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUnixTimeSeconds();
    }

    /// <summary>An hour start keeps the offset of the instant it came from, so the repeated hour of a DST change is distinct.</summary>
    private static long Epoch(DateTime local, TimeSpan offset) => new DateTimeOffset(local, offset).ToUnixTimeSeconds();
}
