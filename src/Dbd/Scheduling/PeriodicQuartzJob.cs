using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Accounting.Dbd.Scheduling;

/// <summary>
/// The one Quartz job type: runs the <see cref="IPeriodicJob"/> its job key names. One type keeps the
/// stored job class name short and stable whatever the periodic jobs are called in code.
/// </summary>
public sealed class PeriodicQuartzJob(IServiceProvider services, ILogger<PeriodicQuartzJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        string name = context.JobDetail.Key.Name;
        var job = services.GetRequiredKeyedService<IPeriodicJob>(name);
        try
        {
            await job.RunAsync(context.ScheduledFireTimeUtc ?? context.FireTimeUtc, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A failed run is logged and left to the next firing, which starts from the stored marks again.
            logger.LogError(exception, "periodic job {Job} failed", name);
        }
    }
}
