using Accounting.Dbd.Rollup;

namespace Accounting.Dbd.Storage;

/// <summary>
/// trigger_reroll: a controller record about an hour that may already be rolled up (a job replayed from the
/// spool, a start heard about late) moves the cluster's rollup marks back to its time, so the next pass
/// recomputes those hours, days and months. Records about the current hour, the normal case, cost nothing.
/// </summary>
public sealed class RollupRewind(RollupPeriods periods, TimeProvider clock)
{
    /// <summary>
    /// The rollup never computes an hour until this long after it ended, so a record written just before the
    /// hour ended, whose transaction is still open, is in the rollup's snapshot (the record did not rewind
    /// because its hour was not over yet).
    /// </summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    /// <summary>True when <paramref name="time"/> lies in an hour that a rollup may already have computed.</summary>
    public bool IsLate(long time) => time > 0 && time < periods.HourStart(clock.GetUtcNow().ToUnixTimeSeconds());

    /// <summary>
    /// Takes the marks back to <paramref name="time"/> when it is late. The UPDATE waits for a rollup that
    /// holds the marks (UsageRollupRepository.LockMarks) and then sees the marks it advanced.
    /// </summary>
    public void Rewind(SqlScope scope, uint clusterId, long time) => RewindStatement(clusterId, time)?.Execute(scope);

    /// <summary>The statement of <see cref="Rewind"/>; null when <paramref name="time"/> is not late.</summary>
    public Statement? RewindStatement(uint clusterId, long time) => IsLate(time)
        ? new Statement("""
            UPDATE last_ran SET hourly_rollup = LEAST(hourly_rollup, @Time), daily_rollup = LEAST(daily_rollup, @Time),
                monthly_rollup = LEAST(monthly_rollup, @Time)
            WHERE cluster_id = @ClusterId AND hourly_rollup > @Time
            """, new { ClusterId = clusterId, Time = time })
        : null;
}
