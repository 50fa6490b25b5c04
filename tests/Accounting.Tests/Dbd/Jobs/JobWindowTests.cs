using Accounting.Dbd.Storage;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Tests.Dbd.Jobs;

/// <summary>slurmdb_job_cond_def_start_end as the server applies it again (records spec §8.5).</summary>
public sealed class JobWindowTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_795_341_834);
    private const long Midnight = 1_795_305_600, NowSeconds = 1_795_341_834;
    private static readonly List<SelectedStep> OneJob = [new(5, SlurmValues.NoVal, SlurmValues.NoVal, SlurmValues.NoVal, SlurmValues.NoVal)];

    private static JobWindow For(JobCondition condition) => JobWindow.For(condition, Now, TimeZoneInfo.Utc);

    [Fact]
    public void Without_states_or_jobs_the_window_is_today_until_now_inclusive() =>
        Assert.Equal(new JobWindow(Midnight, NowSeconds + 1), For(new JobCondition()));

    [Fact]
    public void With_jobs_the_window_starts_at_the_epoch() =>
        Assert.Equal(new JobWindow(0, NowSeconds + 1), For(new JobCondition { StepList = OneJob }));

    [Fact]
    public void With_states_an_empty_window_is_the_one_second_at_its_start()
    {
        Assert.Equal(new JobWindow(NowSeconds, NowSeconds + 1), For(new JobCondition { StateList = ["3"] }));
        Assert.Equal(new JobWindow(1000, 1001), For(new JobCondition { StateList = ["3"], UsageStart = 1000 }));
        Assert.Equal(new JobWindow(0, NowSeconds + 1), For(new JobCondition { StateList = ["3"], StepList = OneJob }));
    }

    [Fact]
    public void Job_id_zero_entries_do_not_count_as_a_job_list() =>
        Assert.Equal(new JobWindow(Midnight, NowSeconds + 1),
            For(new JobCondition { StepList = [new(0, SlurmValues.NoVal, SlurmValues.NoVal, SlurmValues.NoVal, SlurmValues.NoVal)] }));

    [Fact]
    public void Runaway_and_no_default_usage_keep_the_window_as_sent()
    {
        Assert.Equal(new JobWindow(0, 0), For(new JobCondition { Flags = JobConditionFlags.Runaway }));
        Assert.Equal(new JobWindow(7, 0), For(new JobCondition { Flags = JobConditionFlags.NoDefaultUsage, UsageStart = 7 }));
    }
}
