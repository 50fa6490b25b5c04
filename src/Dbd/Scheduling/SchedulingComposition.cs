using Accounting.Dbd.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MySql.Data.MySqlClient;
using Quartz;

namespace Accounting.Dbd.Scheduling;

/// <summary>
/// Quartz for the periodic jobs: an AdoJobStore in the accounting database itself (MySql.Data, the
/// "MySql" provider), clustered, so daemons sharing the database share the schedule and each firing runs
/// on one of them. Quartz creates its QRTZ_ tables at start-up when they are missing.
/// </summary>
public static class SchedulingComposition
{
    public static void AddDaemonScheduling(this IHostApplicationBuilder builder, StorageOptions storage, TimeZoneInfo localZone)
    {
        foreach (var declaration in DaemonSchedule.Jobs)
        {
            builder.Services.AddSingleton(declaration.JobType);
            builder.Services.AddKeyedSingleton(typeof(IPeriodicJob), declaration.Name,
                (provider, _) => provider.GetRequiredService(declaration.JobType));
        }
        builder.AddQuartz(quartz =>
        {
            quartz.UsePersistentStore(store =>
            {
                store.UseMySql(MySqlClientFactory.Instance, storage.ConnectionString(storage.Primary));
                store.UseClustering();
                store.ProvisionSchema();
            });
            foreach (var declaration in DaemonSchedule.Jobs)
            {
                var key = new JobKey(declaration.Name);
                quartz.AddJob<PeriodicQuartzJob>(job => job.WithIdentity(key).StoreDurably().DisallowConcurrentExecution());
                // A firing missed while every daemon was down runs once at the next start; the jobs catch up
                // on their own from what is stored.
                quartz.AddTrigger<PeriodicQuartzJob>(trigger => trigger.ForJob(key).WithIdentity(declaration.Name)
                    .WithCronSchedule(declaration.CronExpression, cron => cron.InTimeZone(localZone)
                        .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
                if (declaration.RunAtStartup)
                    quartz.RunAtStartup(key);
            }
        });
        builder.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        // Quartz's own debug output (every prepared statement) would drown the daemon's debug log.
        builder.Logging.AddFilter("Quartz", LogLevel.Warning);
    }
}
