using Accounting.Dbd.Configuration;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Archive;

/// <summary>
/// One Purge*After setting with its Archive* flag, as slurmdbd carries it in a u32 (slurmdb.h
/// SLURMDB_PURGE_*; records spec §11.7): the count in the low 16 bits, then 0x10000 hours, 0x20000 days,
/// 0x40000 months, 0x80000 archive. NO_VAL means "not purged".
/// </summary>
public readonly record struct PurgeRule(PurgePeriod Period, bool Archive)
{
    public const uint HoursFlag = 0x10000;
    public const uint DaysFlag = 0x20000;
    public const uint MonthsFlag = 0x40000;
    public const uint ArchiveFlag = 0x80000;

    public uint ToWire() => (uint)Period.Count | UnitFlag(Period.Unit) | (Archive ? ArchiveFlag : 0);

    public static uint UnitFlag(PurgeUnit unit) => unit switch
    {
        PurgeUnit.Hours => HoursFlag,
        PurgeUnit.Days => DaysFlag,
        _ => MonthsFlag,
    };

    /// <summary>What slurmdbd.conf sets for one table: the period, archived when the Archive* key says so.</summary>
    public static uint FromConfig(PurgePeriod? period, bool archive) =>
        period is { } set ? new PurgeRule(set, archive).ToWire() : SlurmValues.NoVal;

    /// <summary>
    /// archive_setup_end_time's unit test: the first of hours, days, months that is set wins. A value with
    /// no unit (sacctmgr's "archive dump jobs" alone sets only the archive bit) is refused, as there.
    /// </summary>
    public static bool TryFromWire(uint value, out PurgeRule rule)
    {
        PurgeUnit? unit = (value & HoursFlag) != 0 ? PurgeUnit.Hours
            : (value & DaysFlag) != 0 ? PurgeUnit.Days
            : (value & MonthsFlag) != 0 ? PurgeUnit.Months
            : null;
        rule = unit is { } known ? new PurgeRule(new PurgePeriod((int)(value & PurgePeriod.MaxCount), known), (value & ArchiveFlag) != 0) : default;
        return unit is not null;
    }

    /// <summary>
    /// archive_setup_end_time: records at or before this second are purged. Local time is cut to the hour,
    /// day or first of the month, N units are taken off, and one second before that point is the end.
    /// </summary>
    public long PurgeEnd(long now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(now), zone).DateTime;
        var hour = new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0, DateTimeKind.Unspecified);
        DateTime boundary = Period.Unit switch
        {
            PurgeUnit.Hours => hour.AddHours(-Period.Count),
            PurgeUnit.Days => hour.Date.AddDays(-Period.Count),
            _ => new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(-Period.Count),
        };
        return LocalToUnix(boundary, zone) - 1;
    }

    /// <summary>mktime with tm_isdst = -1: a wall-clock time that a DST jump skipped counts as the later offset.</summary>
    public static long LocalToUnix(DateTime local, TimeZoneInfo zone)
    {
        while (zone.IsInvalidTime(local))
            local = local.AddHours(1);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUnixTimeSeconds();
    }
}
