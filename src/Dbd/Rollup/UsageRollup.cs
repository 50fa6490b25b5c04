using System.Diagnostics;
using Accounting.Dbd.Storage;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Rollup;

/// <summary>Settings of the rollup from slurmdbd.conf.</summary>
public sealed record RollupOptions(bool TrackWckey);

/// <summary>
/// A rollup pass over every cluster (as_mysql_roll_usage, _cluster_rollup_usage; records spec §10.1):
/// every whole hour from the hourly mark to the last hour ended, then every whole day and month whose
/// hours and days are done. Each period is computed and stored in its own transaction together with
/// its mark, under the lock of the cluster's marks, so a pass can stop anywhere and the next one goes
/// on from there (catch-up after downtime is the same loop), and two daemons on one database never
/// compute the same period twice. With an explicit end (sacctmgr roll START END) the given window is
/// recomputed and the marks stay as they are.
/// </summary>
public sealed class UsageRollup(
    DatabaseLocator locator,
    UsageRollupRepository repository,
    RollupPeriods periods,
    RollupStatistics statistics,
    RollupOptions options,
    TimeProvider clock,
    ILogger<UsageRollup> logger)
{
    private const int Hour = 0, Day = 1, Month = 2;

    /// <summary>usage_rollup_lock: one pass at a time in this daemon (another daemon waits on the marks' lock).</summary>
    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <summary>
    /// Runs a pass on a thread of its own (it may take long and must not hold a storage worker) and records
    /// its figures for DBD_GET_STATS.
    /// </summary>
    public async Task<RollupPass> RunAsync(RollupTrigger trigger, long sentStart = 0, long sentEnd = 0, CancellationToken cancellation = default)
    {
        await _pass.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var watch = Stopwatch.StartNew();
            var pass = await Task.Factory.StartNew(() => RollAll(sentStart, sentEnd, cancellation), cancellation,
                TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
            statistics.Record(trigger, watch.Elapsed, pass.Clusters, clock.GetUtcNow().ToUnixTimeSeconds());
            return pass;
        }
        finally
        {
            _pass.Release();
        }
    }

    private RollupPass RollAll(long sentStart, long sentEnd, CancellationToken cancellation)
    {
        List<(uint Id, string Name)> clusters;
        using (var connection = locator.OpenConnection())
            clusters = repository.Clusters(new SqlScope(connection, null));
        bool ok = true;
        var times = new List<ClusterRollupTimes>();
        foreach (var (id, name) in clusters)
        {
            cancellation.ThrowIfCancellationRequested();
            var clusterTimes = new ClusterRollupTimes(name);
            times.Add(clusterTimes);
            try
            {
                RollCluster(id, name, sentStart, sentEnd, clusterTimes, cancellation);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                ok = false;
                logger.LogError(exception, "Cluster {Cluster} rollup failed", name);
            }
        }
        return new RollupPass(ok, times);
    }

    private void RollCluster(uint clusterId, string name, long sentStart, long sentEnd, ClusterRollupTimes times, CancellationToken cancellation)
    {
        long now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (sentEnd != 0)
        {
            RollWindow(clusterId, sentStart, sentEnd, now, times, cancellation);
            return;
        }
        if (!PrepareMarks(clusterId, name, sentStart, now, times))
            return;
        // The last hour that has ended, less the grace that lets records written just before its end commit.
        long until = now - (long)RollupRewind.Grace.TotalSeconds;

        Timed(times, Hour, () => RollMarked(clusterId, times, Hour, cancellation, marks =>
        {
            long hour = periods.HourStart(marks.Hourly);
            if (hour >= periods.HourStart(until))
                return null;
            return (hour, hour + 3600, scope => RollHour(scope, clusterId, hour, now), marks with { Hourly = hour + 3600 });
        }, marks => times.Timestamps[Hour] = marks.Hourly));
        Timed(times, Day, () => RollMarked(clusterId, times, Day, cancellation, marks =>
        {
            long day = periods.DayStart(marks.Daily), next = periods.NextDay(day);
            // Only days whose hours are all rolled up.
            if (day >= periods.DayStart(Math.Min(until, marks.Hourly)))
                return null;
            return (day, next, scope => repository.RollPeriod(scope, clusterId, false, day, next, options.TrackWckey, now), marks with { Daily = next });
        }, marks => times.Timestamps[Day] = marks.Daily));
        Timed(times, Month, () => RollMarked(clusterId, times, Month, cancellation, marks =>
        {
            long month = periods.MonthStart(marks.Monthly), next = periods.NextMonth(month);
            if (month >= periods.MonthStart(Math.Min(until, marks.Daily)))
                return null;
            return (month, next, scope => repository.RollPeriod(scope, clusterId, true, month, next, options.TrackWckey, now), marks with { Monthly = next });
        }, marks => times.Timestamps[Month] = marks.Monthly));
    }

    /// <summary>
    /// The marks of the cluster, made from its first registration the first time (a cluster that never
    /// registered is not rolled up: its marks start now). With a start given they are taken back to it.
    /// </summary>
    private bool PrepareMarks(uint clusterId, string name, long sentStart, long now, ClusterRollupTimes times)
    {
        using var connection = locator.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var scope = new SqlScope(connection, transaction);
        var marks = repository.LockMarks(scope, clusterId);
        if (marks is null)
        {
            long lowest = Math.Min(repository.FirstRegistration(scope, clusterId) ?? now, now);
            repository.InitialiseMarks(scope, clusterId, lowest);
            transaction.Commit();
            if (lowest == now)
            {
                logger.LogDebug("Cluster {Cluster} not registered, not doing rollup", name);
                return false;
            }
            return true;
        }
        times.Timestamps[Hour] = marks.Hourly;
        times.Timestamps[Day] = marks.Daily;
        times.Timestamps[Month] = marks.Monthly;
        if (sentStart != 0)
            repository.SetMarks(scope, clusterId,
                new UsageRollupRepository.Marks(Math.Min(marks.Hourly, sentStart), Math.Min(marks.Daily, sentStart), Math.Min(marks.Monthly, sentStart)));
        transaction.Commit();
        return true;
    }

    /// <summary>
    /// Rolls one period after another, each in a transaction holding the marks: <paramref name="next"/> picks
    /// the period after the (current, possibly rewound or advanced by another daemon) marks, or null when done.
    /// Returns whether any period was rolled.
    /// </summary>
    private bool RollMarked(uint clusterId, ClusterRollupTimes times, int slot, CancellationToken cancellation,
        Func<UsageRollupRepository.Marks, (long Start, long End, Action<SqlScope> Roll, UsageRollupRepository.Marks After)?> next,
        Action<UsageRollupRepository.Marks> reached)
    {
        bool rolled = false;
        while (!cancellation.IsCancellationRequested)
        {
            using var connection = locator.OpenConnection();
            using var transaction = connection.BeginTransaction();
            var scope = new SqlScope(connection, transaction);
            if (repository.LockMarks(scope, clusterId) is not { } marks || next(marks) is not { } period)
                break;
            period.Roll(scope);
            repository.SetMarks(scope, clusterId, period.After);
            transaction.Commit();
            reached(period.After);
            times.Periods[slot]++;
            rolled = true;
        }
        return rolled;
    }

    /// <summary>sacctmgr roll START END: every period of the window again, marks untouched.</summary>
    private void RollWindow(uint clusterId, long sentStart, long sentEnd, long now, ClusterRollupTimes times, CancellationToken cancellation)
    {
        long hourStart, dayStart, monthStart;
        if (sentStart != 0)
            hourStart = dayStart = monthStart = sentStart;
        else
        {
            using var connection = locator.OpenConnection();
            if (repository.LockMarks(new SqlScope(connection, null), clusterId) is not { } marks)
                return;
            (hourStart, dayStart, monthStart) = (marks.Hourly, marks.Daily, marks.Monthly);
        }
        void Window(int slot, long from, long to, Func<long, long> following, Action<SqlScope, long, long> roll)
        {
            if (to <= from)
                return;
            Timed(times, slot, () =>
            {
                for (long start = from; start < to && !cancellation.IsCancellationRequested; start = following(start))
                {
                    using var connection = locator.OpenConnection();
                    using var transaction = connection.BeginTransaction();
                    var scope = new SqlScope(connection, transaction);
                    repository.LockMarks(scope, clusterId);
                    roll(scope, start, following(start));
                    transaction.Commit();
                    times.Periods[slot]++;
                }
                return true;
            });
            times.Timestamps[slot] = to;
        }
        Window(Hour, periods.HourStart(hourStart), periods.HourStart(sentEnd), start => start + 3600,
            (scope, start, _) => RollHour(scope, clusterId, start, now));
        Window(Day, periods.DayStart(dayStart), periods.DayStart(sentEnd), periods.NextDay,
            (scope, start, end) => repository.RollPeriod(scope, clusterId, false, start, end, options.TrackWckey, now));
        Window(Month, periods.MonthStart(monthStart), periods.MonthStart(sentEnd), periods.NextMonth,
            (scope, start, end) => repository.RollPeriod(scope, clusterId, true, start, end, options.TrackWckey, now));
    }

    private void RollHour(SqlScope scope, uint clusterId, long start, long now)
    {
        var inputs = repository.ReadHour(scope, clusterId, start, start + 3600, options.TrackWckey);
        repository.WriteHour(scope, clusterId, start, HourlyUsage.Compute(inputs), now);
    }

    /// <summary>Adds the time of <paramref name="work"/> to the slot when it rolled anything (the reference times each part).</summary>
    private static void Timed(ClusterRollupTimes times, int slot, Func<bool> work)
    {
        var watch = Stopwatch.StartNew();
        if (work())
            times.Microseconds[slot] += Math.Max(1, watch.Elapsed.Ticks / 10);
    }
}
