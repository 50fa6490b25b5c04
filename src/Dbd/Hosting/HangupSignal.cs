using System.Runtime.InteropServices;
using Accounting.Dbd.Handlers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Hosting;

/// <summary>SIGHUP reconfigures, as it does slurmdbd (`kill -HUP $(cat SlurmdbdPidFile)`), like DBD_RECONFIG.</summary>
public sealed class HangupSignal(IDaemonControl daemon, ILogger<HangupSignal> logger) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            logger.LogInformation("Reconfigure signal (SIGHUP) received");
            // Off the signal thread: the reconfigure probes the database servers.
            _ = Task.Run(daemon.Reconfigure);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _registration?.Dispose();
        _registration = null;
    }
}
