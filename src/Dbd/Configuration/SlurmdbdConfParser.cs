namespace Accounting.Dbd.Configuration;

/// <summary>
/// Reads slurmdbd.conf the way slurmdbd 22.05 does (read_slurmdbd_conf), except that a key
/// slurmdbd does not know is a warning rather than a reason to refuse to start.
/// </summary>
public static class SlurmdbdConfParser
{
    private static readonly DbdConfig Defaults = new();

    /// <exception cref="ConfigException">The file cannot be read, or a line or value is malformed.</exception>
    public static ParseResult Parse(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // slurmdbd carries on without the file, only to stop because StorageType is unset.
            throw new ConfigException($"{path}: cannot read slurmdbd.conf: {e.Message}");
        }

        return ParseText(text, path);
    }

    /// <param name="fileNameForMessages">Names the text in messages; relative Include paths are resolved from its directory.</param>
    /// <exception cref="ConfigException">A line or value is malformed, or an Include cannot be read.</exception>
    public static ParseResult ParseText(string text, string fileNameForMessages)
    {
        var warnings = new List<string>();
        var table = SettingTable.From(SlurmConfSyntax.Read(text, fileNameForMessages), warnings);
        var settings = new SettingReader(table, warnings);

        string storageType = settings.StorageType();
        bool mysql = storageType == DbdConfig.MySqlStorageType;
        string? dbdHost = table.GetString("DbdHost");
        if (dbdHost is null)
            warnings.Add($"{fileNameForMessages}: slurmdbd.conf lacks DbdHost parameter, using '{Defaults.DbdHost}'");

        var config = new DbdConfig
        {
            DbdHost = dbdHost ?? Defaults.DbdHost,
            DbdAddr = table.GetString("DbdAddr") ?? dbdHost ?? Defaults.DbdHost,
            DbdPort = NonZeroOr(table.GetUInt16("DbdPort"), Defaults.DbdPort),
            DbdBackupHost = table.GetString("DbdBackupHost"),
            PidFile = table.GetString("PidFile") ?? Defaults.PidFile,
            SlurmUser = table.GetString("SlurmUser") ?? Defaults.SlurmUser,
            PluginDir = table.GetString("PluginDir"),
            CommitDelay = Seconds(table.GetUInt16("CommitDelay")) ?? Defaults.CommitDelay,
            MessageTimeout = settings.MessageTimeout(),
            TCPTimeout = Seconds(table.GetUInt16("TCPTimeout")) ?? Defaults.TCPTimeout,
            CommunicationParameters = settings.CommunicationParameters(),

            LogFile = table.GetString("LogFile"),
            DebugLevel = settings.LogLevel("DebugLevel") ?? Defaults.DebugLevel,
            DebugLevelSyslog = settings.LogLevel("DebugLevelSyslog"),
            LogTimeFormat = settings.LogTimeFormat(),
            DebugFlags = settings.DebugFlags(),

            AuthType = table.GetString("AuthType") ?? Defaults.AuthType,
            AuthInfo = table.GetString("AuthInfo") is string authInfo ? new AuthInfo(authInfo) : null,
            AuthAltTypes = CommaList(table.GetString("AuthAltTypes")),
            AuthAltParameters = table.GetString("AuthAltParameters"),

            StorageType = storageType,
            StorageHost = table.GetString("StorageHost") ?? Defaults.StorageHost,
            StorageBackupHost = table.GetString("StorageBackupHost"),
            // DEFAULT_STORAGE_PORT and DEFAULT_STORAGE_LOC apply to storage types other than mysql.
            StoragePort = NonZeroOr(table.GetUInt16("StoragePort"), mysql ? Defaults.StoragePort : (ushort)0),
            StorageUser = table.GetString("StorageUser"),
            StoragePass = table.GetString("StoragePass"),
            StorageLoc = table.GetString("StorageLoc") ?? (mysql ? Defaults.StorageLoc : "/var/log/slurm_jobacct.log"),
            StorageParameters = settings.StorageParameters(),
            StorageParametersRaw = table.GetString("StorageParameters"),

            AllowNoDefAcct = table.GetBoolean("AllowNoDefAcct"),
            DefaultQOS = table.GetString("DefaultQOS"),
            PrivateData = settings.PrivateData(),
            TrackWCKey = table.GetBoolean("TrackWCKey"),
            TrackSlurmctldDown = table.GetBoolean("TrackSlurmctldDown"),
            MaxQueryTimeRange = settings.MaxQueryTimeRange(),
            Parameters = CommaList(table.GetString("Parameters")),
            PreserveCaseUser = table.GetString("Parameters")?.Contains("PreserveCaseUser", StringComparison.OrdinalIgnoreCase) ?? false,

            // Slurm reads the old *Purge / Purge*Months keys after Purge*After, so they win.
            PurgeEventAfter = settings.Purge("PurgeEventAfter", "PurgeEventMonths"),
            PurgeJobAfter = settings.Purge("JobPurge", "PurgeJobAfter", "PurgeJobMonths"),
            PurgeResvAfter = settings.Purge("PurgeResvAfter"),
            PurgeStepAfter = settings.Purge("PurgeStepAfter", "PurgeStepMonths", "StepPurge"),
            PurgeSuspendAfter = settings.Purge("PurgeSuspendAfter", "PurgeSuspendMonths"),
            PurgeTXNAfter = settings.Purge("PurgeTXNAfter", "PurgeTXNMonths"),
            PurgeUsageAfter = settings.Purge("PurgeUsageAfter", "PurgeUsageMonths"),

            ArchiveDir = table.GetString("ArchiveDir") ?? Defaults.ArchiveDir,
            ArchiveScript = table.GetString("ArchiveScript"),
            ArchiveEvents = table.GetBoolean("ArchiveEvents"),
            ArchiveJobs = table.GetBoolean("ArchiveJobs"),
            ArchiveResvs = table.GetBoolean("ArchiveResvs"),
            ArchiveSteps = table.GetBoolean("ArchiveSteps"),
            ArchiveSuspend = table.GetBoolean("ArchiveSuspend"),
            ArchiveTXN = table.GetBoolean("ArchiveTXN"),
            ArchiveUsage = table.GetBoolean("ArchiveUsage"),
        };
        return new ParseResult(config, warnings);
    }

    private static ushort NonZeroOr(ushort? value, ushort fallback) => value is null or 0 ? fallback : value.Value;

    private static TimeSpan? Seconds(ushort? value) => value is ushort seconds ? TimeSpan.FromSeconds(seconds) : null;

    private static string[] CommaList(string? value) =>
        value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
