namespace Accounting.Dbd.Scheduling;

/// <summary>
/// Work the daemon does on a schedule (usage rollup, purge, archive). Runs are cluster-wide: with several
/// daemons on one database, one of them runs each firing. A run must be idempotent for its period, because
/// a firing interrupted by a crash is run again, and a run after downtime must catch up what was missed
/// (one run per missed firing is not made: misfires fire once).
/// </summary>
public interface IPeriodicJob
{
    Task RunAsync(DateTimeOffset scheduledFireTime, CancellationToken cancellation);
}

/// <summary>
/// A periodic job and when it fires: a Quartz cron expression (seconds first) in the daemon's local time.
/// <paramref name="Name"/> is its key in the shared Quartz tables and must never change.
/// </summary>
public sealed record PeriodicJobDeclaration(string Name, Type JobType, string CronExpression, bool RunAtStartup);
