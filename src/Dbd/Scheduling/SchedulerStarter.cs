using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Accounting.Dbd.Scheduling;

/// <summary>
/// Starts Quartz once its job store (in the accounting database) answers, retrying every few seconds.
/// A daemon may start while its database is away (its spool keeps the controllers' records meanwhile);
/// Quartz's own hosted service would fail the whole start instead.
/// </summary>
public sealed class SchedulerStarter(ISchedulerFactory factory, ILogger<SchedulerStarter> logger) : BackgroundService
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(5);

    private IScheduler? _scheduler;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        bool waiting = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                _scheduler = await factory.GetScheduler(stopping).ConfigureAwait(false);
                await _scheduler.Start(stopping).ConfigureAwait(false);
                if (waiting)
                    logger.LogInformation("periodic jobs (rollups, purge) are scheduled: the database answers again");
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                if (!waiting)
                    logger.LogError("periodic jobs (rollups, purge) wait for the database: {Reason}", exception.Message);
                waiting = true;
            }
            try
            {
                await Task.Delay(Retry, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_scheduler is { } scheduler)
            await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken).ConfigureAwait(false);
    }
}
