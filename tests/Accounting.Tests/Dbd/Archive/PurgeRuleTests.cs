using Accounting.Dbd.Archive;
using Accounting.Dbd.Configuration;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Tests.Dbd.Archive;

/// <summary>Purge values on the wire and their ends (common_as.c archive_setup_end_time), and which run when.</summary>
public sealed class PurgeRuleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static long At(int year, int month, int day, int hour, int minute, TimeSpan offset) =>
        new DateTimeOffset(year, month, day, hour, minute, 0, offset).ToUnixTimeSeconds();

    [Theory]
    [InlineData(12, PurgeUnit.Months, false, 0x4000cu)]
    [InlineData(36, PurgeUnit.Hours, true, 0x90024u)]
    [InlineData(7, PurgeUnit.Days, false, 0x20007u)]
    public void Rules_pack_count_unit_and_archive_bit_as_slurmdb_h(int count, PurgeUnit unit, bool archive, uint wire)
    {
        var rule = new PurgeRule(new PurgePeriod(count, unit), archive);
        Assert.Equal(wire, rule.ToWire());
        Assert.True(PurgeRule.TryFromWire(wire, out var back));
        Assert.Equal(rule, back);
    }

    [Fact]
    public void Only_the_archive_bit_has_no_unit_and_is_refused()
    {
        Assert.False(PurgeRule.TryFromWire(PurgeRule.ArchiveFlag, out _));
        Assert.Equal(SlurmValues.NoVal, PurgeRule.FromConfig(null, archive: true));
    }

    [Fact]
    public void Ends_are_the_second_before_the_cut_local_hour_day_or_month_minus_n_units()
    {
        long now = At(2026, 6, 15, 12, 34, TimeSpan.Zero);
        Assert.Equal(At(2026, 6, 15, 9, 0, TimeSpan.Zero) - 1, new PurgeRule(new(3, PurgeUnit.Hours), false).PurgeEnd(now, TimeZoneInfo.Utc));
        Assert.Equal(At(2026, 6, 13, 0, 0, TimeSpan.Zero) - 1, new PurgeRule(new(2, PurgeUnit.Days), false).PurgeEnd(now, TimeZoneInfo.Utc));
        Assert.Equal(At(2025, 6, 1, 0, 0, TimeSpan.Zero) - 1, new PurgeRule(new(12, PurgeUnit.Months), false).PurgeEnd(now, TimeZoneInfo.Utc));
        Assert.Equal(At(2026, 1, 1, 0, 0, TimeSpan.Zero) - 1, new PurgeRule(new(5, PurgeUnit.Months), false).PurgeEnd(now, TimeZoneInfo.Utc));
    }

    [Fact]
    public void Ends_are_local_wall_clock_boundaries_across_a_DST_change()
    {
        // 2026-03-30 10:20 CEST (+2); two days back is local midnight of the 28th, still CET (+1).
        long now = At(2026, 3, 30, 10, 20, TimeSpan.FromHours(2));
        Assert.Equal(At(2026, 3, 28, 0, 0, TimeSpan.FromHours(1)) - 1, new PurgeRule(new(2, PurgeUnit.Days), false).PurgeEnd(now, Berlin));
        // The month of the DST change: local midnight of March 1st in CET.
        Assert.Equal(At(2026, 3, 1, 0, 0, TimeSpan.FromHours(1)) - 1, new PurgeRule(new(0, PurgeUnit.Months), false).PurgeEnd(now, Berlin));
        Assert.Equal(At(2026, 4, 1, 0, 0, TimeSpan.FromHours(2)), ArchivePurge.BeginNextMonth(At(2026, 3, 29, 5, 0, TimeSpan.FromHours(2)), Berlin));
    }

    private static readonly DbdConfig Conf = new()
    {
        PurgeJobAfter = new PurgePeriod(12, PurgeUnit.Months),
        ArchiveJobs = true,
        PurgeStepAfter = new PurgePeriod(48, PurgeUnit.Hours),
        PurgeEventAfter = new PurgePeriod(30, PurgeUnit.Days),
        ArchiveDir = "/var/spool/slurm/archive",
    };

    [Fact]
    public void After_each_rollup_only_the_settings_in_its_unit_run()
    {
        var hourly = PurgeRunner.Scheduled(Conf, PurgeUnit.Hours);
        Assert.Equal(0x10030u, hourly.PurgeStep);
        Assert.Equal([SlurmValues.NoVal], new[] { hourly.PurgeJob, hourly.PurgeEvent, hourly.PurgeResv, hourly.PurgeTxn, hourly.PurgeUsage, hourly.PurgeSuspend }.Distinct());
        Assert.Equal(0xC000Cu, PurgeRunner.Scheduled(Conf, PurgeUnit.Months).PurgeJob);
        Assert.Equal(0x2001Eu, PurgeRunner.Scheduled(Conf, PurgeUnit.Days).PurgeEvent);
        Assert.Equal("/var/spool/slurm/archive", hourly.ArchiveDir);
    }

    [Fact]
    public void An_archive_dump_takes_what_it_leaves_unset_from_slurmdbd_conf()
    {
        var request = new ArchiveCondition { PurgeJob = 0x90002, ArchiveDir = "/tmp/elsewhere" };
        var filled = PurgeRunner.WithDefaults(request, Conf);
        Assert.Equal(0x90002u, filled.PurgeJob);
        Assert.Equal(0x10030u, filled.PurgeStep);
        Assert.Equal(0x2001Eu, filled.PurgeEvent);
        Assert.Equal(SlurmValues.NoVal, filled.PurgeTxn);
        Assert.Equal("/tmp/elsewhere", filled.ArchiveDir);
    }
}
