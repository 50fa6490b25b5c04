using Accounting.Dbd.Configuration;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Hosting;

public static class LogLevels
{
    /// <summary>Slurm's DebugLevel names mapped onto .NET levels (debug2 and above are all Trace).</summary>
    public static LogLevel From(SlurmLogLevel level) => level switch
    {
        SlurmLogLevel.Quiet => LogLevel.None,
        SlurmLogLevel.Fatal => LogLevel.Critical,
        SlurmLogLevel.Error => LogLevel.Error,
        SlurmLogLevel.Info or SlurmLogLevel.Verbose => LogLevel.Information,
        SlurmLogLevel.Debug => LogLevel.Debug,
        _ => LogLevel.Trace,
    };
}
