using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Storage;

/// <summary>
/// Looks at the current database server every second when StorageBackupHost is set, so that a dead or
/// hung primary, or a promoted replica, is noticed in seconds even when no request is running. Requests
/// that fail to connect make the locator look at once as well; this catches what they cannot: a server
/// that hangs under a connection already open, and a promotion while nothing is written.
/// </summary>
public sealed class DatabaseMonitor(DatabaseLocator locator, ILogger<DatabaseMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        if (!locator.HasBackup)
            return;
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
        {
            try
            {
                // The probe is synchronous (MySql.Data honours its timeouts only there); keep it off the
                // thread that ticks.
                await Task.Run(locator.Check, stopping).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError("database monitor: {Reason}", exception.Message);
            }
        }
    }
}
