namespace Accounting.Dbd.Configuration;

/// <summary>How parse_config converts a key's value as soon as the line is read.</summary>
internal enum ValueKind
{
    String,
    UInt16,
    UInt32,
    Boolean,
}

/// <summary>Every key slurmdbd 22.05 knows (the options table of read_slurmdbd_conf), by its canonical spelling.</summary>
internal static class SlurmdbdKeys
{
    private static readonly Dictionary<string, (string Name, ValueKind Kind)> Known = new (string, ValueKind)[]
    {
        ("AllowNoDefAcct", ValueKind.Boolean),
        ("ArchiveDir", ValueKind.String),
        ("ArchiveEvents", ValueKind.Boolean),
        ("ArchiveJobs", ValueKind.Boolean),
        ("ArchiveResvs", ValueKind.Boolean),
        ("ArchiveScript", ValueKind.String),
        ("ArchiveSteps", ValueKind.Boolean),
        ("ArchiveSuspend", ValueKind.Boolean),
        ("ArchiveTXN", ValueKind.Boolean),
        ("ArchiveUsage", ValueKind.Boolean),
        ("AuthAltTypes", ValueKind.String),
        ("AuthAltParameters", ValueKind.String),
        ("AuthInfo", ValueKind.String),
        ("AuthType", ValueKind.String),
        ("CommitDelay", ValueKind.UInt16),
        ("CommunicationParameters", ValueKind.String),
        ("DbdAddr", ValueKind.String),
        ("DbdBackupHost", ValueKind.String),
        ("DbdHost", ValueKind.String),
        ("DbdPort", ValueKind.UInt16),
        ("DebugFlags", ValueKind.String),
        ("DebugLevel", ValueKind.String),
        ("DebugLevelSyslog", ValueKind.String),
        ("DefaultQOS", ValueKind.String),
        ("JobPurge", ValueKind.UInt32),
        ("LogFile", ValueKind.String),
        ("LogTimeFormat", ValueKind.String),
        ("MaxQueryTimeRange", ValueKind.String),
        ("MessageTimeout", ValueKind.UInt16),
        ("Parameters", ValueKind.String),
        ("PidFile", ValueKind.String),
        ("PluginDir", ValueKind.String),
        ("PrivateData", ValueKind.String),
        ("PurgeEventAfter", ValueKind.String),
        ("PurgeJobAfter", ValueKind.String),
        ("PurgeResvAfter", ValueKind.String),
        ("PurgeStepAfter", ValueKind.String),
        ("PurgeSuspendAfter", ValueKind.String),
        ("PurgeTXNAfter", ValueKind.String),
        ("PurgeUsageAfter", ValueKind.String),
        ("PurgeEventMonths", ValueKind.UInt32),
        ("PurgeJobMonths", ValueKind.UInt32),
        ("PurgeStepMonths", ValueKind.UInt32),
        ("PurgeSuspendMonths", ValueKind.UInt32),
        ("PurgeTXNMonths", ValueKind.UInt32),
        ("PurgeUsageMonths", ValueKind.UInt32),
        ("SlurmUser", ValueKind.String),
        ("StepPurge", ValueKind.UInt32),
        ("StorageBackupHost", ValueKind.String),
        ("StorageHost", ValueKind.String),
        ("StorageLoc", ValueKind.String),
        ("StorageParameters", ValueKind.String),
        ("StoragePass", ValueKind.String),
        ("StoragePort", ValueKind.UInt16),
        ("StorageType", ValueKind.String),
        ("StorageUser", ValueKind.String),
        ("TCPTimeout", ValueKind.UInt16),
        ("TrackWCKey", ValueKind.Boolean),
        ("TrackSlurmctldDown", ValueKind.Boolean),
    }.ToDictionary(k => k.Item1, k => k, StringComparer.OrdinalIgnoreCase);

    public static bool TryLookup(string key, out string name, out ValueKind kind)
    {
        bool known = Known.TryGetValue(key, out var entry);
        (name, kind) = entry;
        return known;
    }
}
