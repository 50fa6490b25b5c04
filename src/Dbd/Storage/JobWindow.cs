using Accounting.Model.Records;

namespace Accounting.Dbd.Storage;

/// <summary>
/// The usage window of a job query after slurmdb_job_cond_def_start_end, which the server applies again
/// to what the client already defaulted (records spec §8.5): [Start, End), both 0 when RUNAWAY or
/// NO_DEFAULT_USAGE leave the condition as sent with no window.
/// </summary>
public sealed record JobWindow(long Start, long End)
{
    public static JobWindow For(JobCondition condition, DateTimeOffset now, TimeZoneInfo localZone)
    {
        long start = condition.UsageStart, end = condition.UsageEnd;
        if ((condition.Flags & (JobConditionFlags.Runaway | JobConditionFlags.NoDefaultUsage)) != 0)
            return new JobWindow(start, end);
        long nowSeconds = now.ToUnixTimeSeconds();
        bool hasSteps = JobSelection.HasSteps(condition);
        if (condition.StateList is { Count: > 0 })
        {
            if (start == 0 && !hasSteps)
                start = nowSeconds;
            if (start != 0 && end == 0)
                end = start;
        }
        else if (!hasSteps && start == 0)
        {
            start = LocalMidnight(now, localZone);
        }
        if (end == 0)
            end = nowSeconds;
        // The window is half-open, so an empty one (end == start) and one ending now include that second.
        if (end == start || end == nowSeconds)
            end++;
        return new JobWindow(start, end);
    }

    private static long LocalMidnight(DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var midnight = new DateTime(local.Year, local.Month, local.Day, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)).ToUnixTimeSeconds();
    }

    /// <summary>
    /// Without NO_TRUNC the reference lowers the window end to now before clamping (it writes that back
    /// into the condition, so the step window of the same query uses it too).
    /// </summary>
    public JobWindow TruncatedAt(long now) => End == 0 || End > now ? this with { End = now } : this;
}
