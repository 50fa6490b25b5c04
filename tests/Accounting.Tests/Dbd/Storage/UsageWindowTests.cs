using Accounting.Dbd.Storage;

namespace Accounting.Tests.Dbd.Storage;

/// <summary>set_usage_information's table choice and rounding (records spec §10.4), in UTC and in a zone with DST.</summary>
public sealed class UsageWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 11, 30, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static long Utc(int month, int day, int hour = 0, int minute = 0) =>
        new DateTimeOffset(2026, month, day, hour, minute, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    [Theory]
    [InlineData(11, 24, 0, 11, 25, 0, UsageGranularity.Day)]
    [InlineData(11, 23, 0, 11, 26, 0, UsageGranularity.Day)]
    [InlineData(11, 24, 0, 11, 24, 12, UsageGranularity.Hour)]
    [InlineData(11, 24, 6, 11, 25, 0, UsageGranularity.Hour)]
    [InlineData(11, 1, 0, 12, 1, 0, UsageGranularity.Month)]
    [InlineData(10, 1, 0, 12, 1, 0, UsageGranularity.Month)]
    [InlineData(11, 1, 0, 11, 30, 0, UsageGranularity.Day)]
    [InlineData(11, 20, 0, 12, 1, 0, UsageGranularity.Day)]
    public void Whole_days_read_the_day_table_first_to_first_the_month_table_anything_else_the_hour_table(
        int startMonth, int startDay, int startHour, int endMonth, int endDay, int endHour, UsageGranularity expected)
    {
        var window = UsageWindow.For(Utc(startMonth, startDay, startHour), Utc(endMonth, endDay, endHour), Now, TimeZoneInfo.Utc);

        Assert.Equal((expected, Utc(startMonth, startDay, startHour), Utc(endMonth, endDay, endHour)), (window.Granularity, window.Start, window.End));
    }

    [Fact]
    public void Minutes_are_dropped_and_a_window_under_an_hour_grows_to_one()
    {
        Assert.Equal(new UsageWindow(UsageGranularity.Hour, Utc(11, 24, 5), Utc(11, 24, 7)),
            UsageWindow.For(Utc(11, 24, 5, 40), Utc(11, 24, 7, 10), Now, TimeZoneInfo.Utc));
        Assert.Equal(new UsageWindow(UsageGranularity.Hour, Utc(11, 24, 5), Utc(11, 24, 6)),
            UsageWindow.For(Utc(11, 24, 5, 10), Utc(11, 24, 5, 50), Now, TimeZoneInfo.Utc));
    }

    [Fact]
    public void No_times_mean_yesterday_and_a_window_ending_after_now_reads_hours()
    {
        Assert.Equal(new UsageWindow(UsageGranularity.Day, Utc(11, 30), Utc(12, 1)), UsageWindow.For(0, 0, Now, TimeZoneInfo.Utc));
        Assert.Equal(UsageGranularity.Hour, UsageWindow.For(Utc(11, 1), Utc(12, 2), Now, TimeZoneInfo.Utc).Granularity);
    }

    [Fact]
    public void Day_boundaries_are_local_midnights()
    {
        // 2026-10-25 is the day Berlin leaves summer time: 25 hours from midnight to midnight.
        long start = new DateTimeOffset(2026, 10, 25, 0, 0, 0, TimeSpan.FromHours(2)).ToUnixTimeSeconds();
        long end = new DateTimeOffset(2026, 10, 26, 0, 0, 0, TimeSpan.FromHours(1)).ToUnixTimeSeconds();

        Assert.Equal(new UsageWindow(UsageGranularity.Day, start, end), UsageWindow.For(start, end, Now, Berlin));
        Assert.Equal(UsageGranularity.Hour, UsageWindow.For(Utc(10, 25), Utc(10, 26), Now, Berlin).Granularity);
    }

    [Fact]
    public void Each_granularity_has_its_table()
    {
        Assert.Equal("assoc_usage_month", new UsageWindow(UsageGranularity.Month, 0, 0).Table("assoc"));
        Assert.Equal("cluster_usage_hour", new UsageWindow(UsageGranularity.Hour, 0, 0).Table("cluster"));
    }
}
