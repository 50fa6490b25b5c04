using Accounting.Dbd.Rollup;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Tests.Support;

namespace Accounting.Tests.Dbd.Rollup;

/// <summary>
/// Passes driven by the rollup marks (records spec §10.1, _cluster_rollup_usage): first marks from the
/// first registration, hours then days then months, catch-up after a gap, late records rewinding the
/// marks, and two daemons over one database.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class RollupPassTests(SharedServices services)
{
    /// <summary>2026-04-30 00:00 UTC.</summary>
    private static readonly long April30 = new DateTimeOffset(2026, 4, 30, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
    private static readonly long May1 = April30 + 86400;

    private static async Task<RollupPass> PassAsync(RollupDatabase db, UsageRollup? rollup = null)
    {
        var pass = await (rollup ?? db.NewRollup()).RunAsync(RollupTrigger.Scheduled);
        Assert.True(pass.Ok, db.Errors.ToString());
        return pass;
    }

    [Fact]
    public async Task A_first_pass_starts_at_the_first_registration_and_rolls_hours_then_the_day_then_the_month()
    {
        // Ten seconds past 01:00 on 1 May: hour 00:00-01:00 of 1 May has ended, and its grace passed.
        var db = new RollupDatabase(services, May1 + 3600 + 10);
        db.Registration(April30, 0, "1=10");
        db.Job(assoc: 5, eligible: April30 + 3600, start: April30 + 3600, end: April30 + 3 * 3600, tres: "1=2");

        var pass = await PassAsync(db);

        Assert.Equal(new[] { 25, 1, 1 }, pass.Clusters.Single().Periods);
        Assert.Equal((May1 + 3600, May1, May1), db.Marks());
        // The day: 2 CPUs × 7200 s allocated, 10 × 86,400 in all.
        var day = new RollupDatabase.ClusterRow(1, 10, 14_400, 0, 0, 849_600, 0, 0);
        Assert.Equal([day], db.ClusterRows("day", April30));
        Assert.Equal([(5u, 1u, 14_400ul)], db.IdRows("assoc_usage_day", April30));
        // April has only that day.
        long april1 = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal([day], db.ClusterRows("month", april1));
        Assert.Equal([(5u, 1u, 14_400ul)], db.IdRows("assoc_usage_month", april1));
        // 1 May is not over: no day row yet, but its first hour is there.
        Assert.Empty(db.ClusterRows("day", May1));
        Assert.Single(db.ClusterRows("hour", May1));
    }

    [Fact]
    public async Task A_cluster_that_never_registered_is_not_rolled_up()
    {
        var db = new RollupDatabase(services, May1);
        var pass = await PassAsync(db);
        Assert.Equal(new[] { 0, 0, 0 }, pass.Clusters.Single().Periods);
        Assert.Equal((May1, May1, May1), db.Marks());
    }

    [Fact]
    public async Task After_a_gap_the_next_pass_catches_up_hour_by_hour_and_a_pass_with_nothing_to_do_rolls_nothing()
    {
        long h = April30 + 10 * 3600;
        var db = new RollupDatabase(services, h + 10);
        db.Registration(April30, 0, "1=10");
        Assert.Equal(new[] { 10, 0, 0 }, (await PassAsync(db)).Clusters.Single().Periods);

        // The daemon was down for five hours.
        db.Clock.Now = h + 5 * 3600 + 10;
        Assert.Equal(new[] { 5, 0, 0 }, (await PassAsync(db)).Clusters.Single().Periods);
        Assert.Equal(new[] { 0, 0, 0 }, (await PassAsync(db)).Clusters.Single().Periods);
        for (long hour = April30; hour < h + 5 * 3600; hour += 3600)
            Assert.Equal(36_000ul, db.ClusterRows("hour", hour).Single().IdleSecs);
    }

    [Fact]
    public async Task A_job_start_heard_about_after_its_hours_were_rolled_up_rewinds_the_marks_and_those_hours_are_rolled_again()
    {
        long h = April30 + 10 * 3600;
        var db = new RollupDatabase(services, h + 10);
        db.Registration(April30, 0, "1=10");
        await PassAsync(db);
        Assert.Equal((h, April30, April30), db.Marks());

        // As a replayed spool delivers it: a job that ran 02:00-04:00.
        var start = new JobStartMessage
        {
            JobId = 77, AssocId = 5, Uid = 1000, Gid = 1000, SubmitTime = April30 + 2 * 3600, EligibleTime = April30 + 2 * 3600,
            StartTime = April30 + 2 * 3600, TresAllocString = "1=3",
        };
        var complete = new JobCompleteMessage
        {
            JobId = 77, AssocId = 5, SubmitTime = start.SubmitTime, StartTime = start.StartTime, EndTime = April30 + 4 * 3600, JobState = 3,
        };
        var jobs = new JobRepository(db.Rewind);
        using (var connection = db.Locator.OpenConnection())
        using (var transaction = connection.BeginTransaction())
        {
            var scope = new SqlScope(connection, transaction);
            jobs.Start(scope, db.ClusterId, start, db.Clock.Now);
            jobs.Complete(scope, db.ClusterId, complete, db.Clock.Now);
            transaction.Commit();
        }
        // The day and month marks were further back already.
        Assert.Equal((April30 + 2 * 3600, April30, April30), db.Marks());

        // The same start again (a second replay) is known and rewinds nothing.
        using (var connection = db.Open())
            Dapper.SqlMapper.Execute(connection, "UPDATE last_ran SET hourly_rollup = @h", new { h });
        using (var connection = db.Locator.OpenConnection())
            jobs.Start(new SqlScope(connection, null), db.ClusterId, start, db.Clock.Now);
        Assert.Equal(h, db.Marks()!.Value.Hourly);
        using (var connection = db.Open())
            Dapper.SqlMapper.Execute(connection, "UPDATE last_ran SET hourly_rollup = @At", new { At = April30 + 2 * 3600 });

        Assert.Equal(new[] { 8, 0, 0 }, (await PassAsync(db)).Clusters.Single().Periods);
        Assert.Equal([(5u, 1u, 10_800ul)], db.IdRows("assoc_usage_hour", April30 + 2 * 3600));
        Assert.Equal([(5u, 1u, 10_800ul)], db.IdRows("assoc_usage_hour", April30 + 3 * 3600));
        Assert.Empty(db.IdRows("assoc_usage_hour", April30 + 4 * 3600));
    }

    [Fact]
    public async Task A_record_about_the_current_hour_does_not_touch_the_marks()
    {
        long h = April30 + 10 * 3600;
        var db = new RollupDatabase(services, h + 10);
        db.Registration(April30, 0, "1=10");
        await PassAsync(db);
        Assert.False(db.Rewind.IsLate(h + 5));
        Assert.True(db.Rewind.IsLate(h - 1));
        using (var connection = db.Locator.OpenConnection())
            db.Rewind.Rewind(new SqlScope(connection, null), db.ClusterId, h + 5);
        Assert.Equal(h, db.Marks()!.Value.Hourly);
    }

    [Fact]
    public async Task Two_daemons_on_one_database_roll_every_period_once_between_them()
    {
        long h = April30 + 48 * 3600;
        var db = new RollupDatabase(services, h + 10);
        db.Registration(April30, 0, "1=10");
        db.Job(assoc: 5, eligible: April30, start: April30, end: 0, tres: "1=1");

        var passes = await Task.WhenAll(PassAsync(db, db.NewRollup()), PassAsync(db, db.NewRollup()));

        Assert.Equal(48, passes.Sum(pass => pass.Clusters.Single().Periods[0]));
        Assert.Equal(2, passes.Sum(pass => pass.Clusters.Single().Periods[1]));
        Assert.Equal((h, h, May1), db.Marks());
        for (long hour = April30; hour < h; hour += 3600)
            Assert.Equal([(5u, 1u, 3600ul)], db.IdRows("assoc_usage_hour", hour));
        Assert.Equal([(5u, 1u, 86_400ul)], db.IdRows("assoc_usage_day", May1));
    }
}
