using Accounting.Dbd.Authorization;
using Accounting.Dbd.Configuration;
using Accounting.Dbd.Handlers;
using Accounting.Dbd.Spool;
using Accounting.Dbd.Storage;
using Accounting.Model.Records;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Hosting;

/// <summary>Configuration dump, reconfigure and shutdown, for the daemon-level requests.</summary>
public sealed class DaemonControl(ConfigHolder config, SlurmStyleLoggerProvider logs, IHostApplicationLifetime lifetime,
    DatabaseLocator database, SpoolReplayProgress spool, ILogger<DaemonControl> logger) : IDaemonControl
{
    /// <summary>slurmdbd's dump_config, then our spool's depth and replay progress (README, Spool).</summary>
    public List<ConfigKeyPair> ConfigDump() =>
        ConfigDumper.Dump(config.Current, config.Path, config.BootTime, UnixUsers.UidOfNameOrNumber)
            .Concat(spool.Describe().Select(pair => (pair.Name, Value: (string?)pair.Value)))
            .Select(pair => new ConfigKeyPair(pair.Name, pair.Value)).ToList();

    /// <summary>
    /// Re-reads slurmdbd.conf like slurmdbd's reconfig(). Only the log level takes effect at once; the
    /// rest (storage, listening address) needs a restart, as it does for slurmdbd. It is also the
    /// administrator's way to bring the daemon back to StorageHost after a failover to a backup that was
    /// never promoted (DatabaseLocator.ReturnToPrimary; README, Failover).
    /// </summary>
    public string? Reconfigure()
    {
        logger.LogInformation("reconfigure: database: {Outcome}", database.ReturnToPrimary());
        try
        {
            var reread = SlurmdbdConfParser.Parse(config.Path);
            foreach (string warning in reread.Warnings)
                logger.LogWarning("{Warning}", warning);
            config.Replace(reread.Config);
            logs.MinimumLevel = LogLevels.From(reread.Config.DebugLevel);
            return null;
        }
        catch (Exception exception) when (exception is ConfigException or IOException)
        {
            logger.LogError("reconfigure failed: {Reason}", exception.Message);
            return exception.Message;
        }
    }

    public void Shutdown() => lifetime.StopApplication();
}
