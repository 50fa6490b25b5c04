using System.Globalization;
using static Accounting.Dbd.Configuration.SlurmValueFormat;

namespace Accounting.Dbd.Configuration;

/// <summary>
/// The configuration as slurmdbd 22.05.8 reports it (dump_config in src/slurmdbd/read_config.c):
/// the key/value list of DBD_GOT_CONFIG, which "sacctmgr show config" prints. It never holds
/// StoragePass. A null value is sent as a NULL string, as Slurm does for unset keys.
/// </summary>
public static class ConfigDumper
{
    /// <summary>SLURMDBD_VERSION: the release whose protocol we speak.</summary>
    public const string SlurmdbdVersion = "22.05.8";

    /// <inheritdoc cref="Dump(DbdConfig, string, long, Func{string, uint?}, TimeZoneInfo)"/>
    public static IReadOnlyList<(string Name, string? Value)> Dump(
        DbdConfig config, string configPath, long bootTimeUnixSeconds, Func<string, uint?> uidOf) =>
        Dump(config, configPath, bootTimeUnixSeconds, uidOf, TimeZoneInfo.Local);

    /// <param name="config">The configuration in use.</param>
    /// <param name="configPath">The slurmdbd.conf it was read from (SLURMDBD_CONF).</param>
    /// <param name="bootTimeUnixSeconds">When the daemon first read its configuration (BOOT_TIME).</param>
    /// <param name="uidOf">SlurmUser's uid, resolved as slurmdbd's uid_from_string does (a name or a number); null when unknown.</param>
    /// <param name="timeZone">The zone BOOT_TIME is shown in; slurmdbd uses local time.</param>
    /// <exception cref="ArgumentException">uidOf does not know SlurmUser, which slurmdbd refuses at startup.</exception>
    public static IReadOnlyList<(string Name, string? Value)> Dump(
        DbdConfig config, string configPath, long bootTimeUnixSeconds, Func<string, uint?> uidOf, TimeZoneInfo timeZone)
    {
        uint slurmUserUid = uidOf(config.SlurmUser)
            ?? throw new ArgumentException($"SlurmUser {config.SlurmUser} is not a known user", nameof(uidOf));

        // Slurm keeps each Archive* flag as a bit of its purge value, and only when that purge
        // is set, so an Archive* key without its Purge*After reads back as "No".
        return
        [
            ("AllowNoDefAcct", YesNo(config.AllowNoDefAcct)),
            ("ArchiveDir", config.ArchiveDir),
            ("ArchiveEvents", YesNo(config.ArchiveEvents && config.PurgeEventAfter is not null)),
            ("ArchiveJobs", YesNo(config.ArchiveJobs && config.PurgeJobAfter is not null)),
            ("ArchiveResvs", YesNo(config.ArchiveResvs && config.PurgeResvAfter is not null)),
            ("ArchiveScript", config.ArchiveScript),
            ("ArchiveSteps", YesNo(config.ArchiveSteps && config.PurgeStepAfter is not null)),
            ("ArchiveSuspend", YesNo(config.ArchiveSuspend && config.PurgeSuspendAfter is not null)),
            ("ArchiveTXN", YesNo(config.ArchiveTXN && config.PurgeTXNAfter is not null)),
            ("ArchiveUsage", YesNo(config.ArchiveUsage && config.PurgeUsageAfter is not null)),
            // Both lists are the value split at commas, so joining them gives back what was written.
            ("AuthAltTypes", CommaListOrNull(config.AuthAltTypes)),
            ("AuthAltParameters", config.AuthAltParameters),
            ("AuthInfo", config.AuthInfo?.Raw),
            ("AuthType", config.AuthType),
            ("BOOT_TIME", Timestamp(bootTimeUnixSeconds, timeZone)),
            // Slurm reports only whether commits are delayed, not by how long.
            ("CommitDelay", YesNo(config.CommitDelay > TimeSpan.Zero)),
            ("CommunicationParameters", config.CommunicationParameters.Raw),
            ("DbdAddr", config.DbdAddr),
            ("DbdBackupHost", config.DbdBackupHost),
            ("DbdHost", config.DbdHost),
            ("DbdPort", config.DbdPort.ToString(CultureInfo.InvariantCulture)),
            ("DebugFlags", DebugFlagNames.ToSlurmString(config.DebugFlags)),
            ("DebugLevel", config.DebugLevel.ToSlurmName()),
            // log_num2string(LOG_LEVEL_END) is the text "(null)", not a NULL string.
            ("DebugLevelSyslog", config.DebugLevelSyslog?.ToSlurmName() ?? "(null)"),
            ("DefaultQOS", config.DefaultQOS),
            ("LogFile", config.LogFile),
            ("MaxQueryTimeRange", Duration(config.MaxQueryTimeRange)),
            ("MessageTimeout", Seconds(config.MessageTimeout)),
            ("Parameters", CommaListOrNull(config.Parameters)),
            ("PidFile", config.PidFile),
            // Slurm would show its configure-time plugin directory here; we have none.
            ("PluginDir", config.PluginDir),
            ("PrivateData", PrivateDataNames.ToSlurmString(config.PrivateData)),
            ("PurgeEventAfter", Purge(config.PurgeEventAfter, config.ArchiveEvents)),
            ("PurgeJobAfter", Purge(config.PurgeJobAfter, config.ArchiveJobs)),
            ("PurgeResvAfter", Purge(config.PurgeResvAfter, config.ArchiveResvs)),
            ("PurgeStepAfter", Purge(config.PurgeStepAfter, config.ArchiveSteps)),
            ("PurgeSuspendAfter", Purge(config.PurgeSuspendAfter, config.ArchiveSuspend)),
            ("PurgeTXNAfter", Purge(config.PurgeTXNAfter, config.ArchiveTXN)),
            ("PurgeUsageAfter", Purge(config.PurgeUsageAfter, config.ArchiveUsage)),
            ("SLURMDBD_CONF", configPath),
            ("SLURMDBD_VERSION", SlurmdbdVersion),
            ("SlurmUser", string.Create(CultureInfo.InvariantCulture, $"{config.SlurmUser}({slurmUserUid})")),
            ("StorageBackupHost", config.StorageBackupHost),
            ("StorageHost", config.StorageHost),
            ("StorageLoc", config.StorageLoc),
            ("StorageParameters", config.StorageParametersRaw),
            // StoragePass belongs here in the file's order, and is left out for security, as in Slurm.
            ("StoragePort", config.StoragePort.ToString(CultureInfo.InvariantCulture)),
            ("StorageType", config.StorageType),
            // Null when unset: Slurm's fallback, getlogin(), has no answer for a daemon without a terminal.
            ("StorageUser", config.StorageUser),
            ("TCPTimeout", Seconds(config.TCPTimeout)),
            ("TrackWCKey", YesNo(config.TrackWCKey)),
            ("TrackSlurmctldDown", YesNo(config.TrackSlurmctldDown)),
        ];
    }

    private static string? CommaListOrNull(IReadOnlyList<string> items) =>
        items.Count == 0 ? null : string.Join(",", items);
}
