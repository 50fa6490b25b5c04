using System.Collections.Frozen;

namespace Accounting.Dbd.Configuration;

/// <summary>
/// slurmdbd.conf as slurmdbd 22.05 understands it (src/slurmdbd/read_config.c). Property names are
/// the keys of the file; a new instance holds the values slurmdbd uses when a key is absent.
/// </summary>
public sealed partial record DbdConfig
{
    public const string MySqlStorageType = "accounting_storage/mysql";

    // --- The daemon -------------------------------------------------------------------------

    /// <summary>Slurm only logs an error when DbdHost is missing and then uses "localhost".</summary>
    public string DbdHost { get; init; } = "localhost";

    /// <summary>The address to listen on; when not set it is the same as <see cref="DbdHost"/>.</summary>
    public string DbdAddr { get => dbdAddr ?? DbdHost; init => dbdAddr = value; }
    private readonly string? dbdAddr;

    /// <summary>SLURMDBD_PORT; a value of 0 in the file also means this default.</summary>
    public ushort DbdPort { get; init; } = 6819;

    public string? DbdBackupHost { get; init; }

    /// <summary>DEFAULT_SLURMDBD_PIDFILE.</summary>
    public string PidFile { get; init; } = "/var/run/slurmdbd.pid";

    /// <summary>The user name to run as; resolving it to a uid (and failing if unknown) is the caller's job.</summary>
    public string SlurmUser { get; init; } = "root";

    /// <summary>Null means Slurm's configure-time plugin directory; we load no plugins from it.</summary>
    public string? PluginDir { get; init; }

    /// <summary>
    /// "How many seconds between commits on a connection from a slurmctld"; zero commits at once.
    /// </summary>
    public TimeSpan CommitDelay { get; init; } = TimeSpan.Zero;

    /// <summary>DEFAULT_MSG_TIMEOUT.</summary>
    public TimeSpan MessageTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>DEFAULT_TCP_TIMEOUT.</summary>
    public TimeSpan TCPTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public CommunicationParameters CommunicationParameters { get; init; } = new();

    // --- Logging ----------------------------------------------------------------------------

    /// <summary>Null means syslog, as in Slurm.</summary>
    public string? LogFile { get; init; }

    public SlurmLogLevel DebugLevel { get; init; } = SlurmLogLevel.Info;

    /// <summary>
    /// Null when not set (LOG_LEVEL_END): slurmdbd then logs to syslog at fatal, or at DebugLevel
    /// when it runs in the background without a LogFile, or not at all in the foreground.
    /// </summary>
    public SlurmLogLevel? DebugLevelSyslog { get; init; }

    public LogTimeFormat LogTimeFormat { get; init; } = LogTimeFormat.Iso8601Ms;

    /// <summary>DebugFlags in Slurm's spelling (DB_Query, JobAccountGather for JAG, ...); the set ignores case.</summary>
    public IReadOnlySet<string> DebugFlags { get; init; } =
        Array.Empty<string>().ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    // --- Authentication ---------------------------------------------------------------------

    /// <summary>DEFAULT_SLURMDBD_AUTHTYPE.</summary>
    public string AuthType { get; init; } = "auth/munge";

    /// <summary>Null leaves the authentication plugin on its defaults (e.g. munged's own socket).</summary>
    public AuthInfo? AuthInfo { get; init; }

    /// <summary>Further authentication plugins that clients may use, e.g. auth/jwt.</summary>
    public IReadOnlyList<string> AuthAltTypes { get; init; } = [];

    /// <summary>Options for the AuthAltTypes plugins, e.g. <c>jwt_key=/path</c>; kept as written.</summary>
    public string? AuthAltParameters { get; init; }

    // --- The database -----------------------------------------------------------------------

    /// <summary>
    /// slurmdbd 22.05 refuses to start without StorageType; we default to the only storage it
    /// supports, accounting_storage/mysql.
    /// </summary>
    public string StorageType { get; init; } = MySqlStorageType;

    /// <summary>DEFAULT_STORAGE_HOST.</summary>
    public string StorageHost { get; init; } = "localhost";

    public string? StorageBackupHost { get; init; }

    /// <summary>DEFAULT_MYSQL_PORT (any other StorageType defaults to 0); a value of 0 also means the default.</summary>
    public ushort StoragePort { get; init; } = 3306;

    /// <summary>Null means the login name of the process, which is what Slurm uses (getlogin()).</summary>
    public string? StorageUser { get; init; }

    /// <summary>The database password. Never printed: see <see cref="ToString"/>.</summary>
    public string? StoragePass { get; init; }

    /// <summary>The database name: DEFAULT_ACCOUNTING_DB for mysql.</summary>
    public string StorageLoc { get; init; } = "slurm_acct_db";

    /// <summary>
    /// StorageParameters as KEY=VALUE pairs, keys case-insensitive: SSL_CERT, SSL_CA, SSL_CAPATH,
    /// SSL_KEY, SSL_CIPHER in Slurm, plus any options of our own. The last of a repeated key wins.
    /// </summary>
    public IReadOnlyDictionary<string, string> StorageParameters { get; init; } =
        new Dictionary<string, string>().ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// StorageParameters as written, or null when absent; the parser sets it along with
    /// <see cref="StorageParameters"/>. slurmdbd reports this text, with its order, repeats and
    /// malformed options, in its configuration dump.
    /// </summary>
    public string? StorageParametersRaw { get; init; }

    // --- Accounting policy ------------------------------------------------------------------

    /// <summary>Users may exist without a default account.</summary>
    public bool AllowNoDefAcct { get; init; }

    public string? DefaultQOS { get; init; }

    public PrivateData PrivateData { get; init; } = PrivateData.None;

    public bool TrackWCKey { get; init; }

    public bool TrackSlurmctldDown { get; init; }

    /// <summary>
    /// Null means INFINITE: queries may cover any time span (operators and above are always exempt).
    /// </summary>
    public TimeSpan? MaxQueryTimeRange { get; init; }

    /// <summary>The Parameters list as written; see <see cref="PreserveCaseUser"/> for what 22.05 acts on.</summary>
    public IReadOnlyList<string> Parameters { get; init; } = [];

    /// <summary>Parameters=PreserveCaseUser: keep user names as given instead of lower-casing them.</summary>
    public bool PreserveCaseUser { get; init; }

    // --- Purging and archiving --------------------------------------------------------------
    // A null period means those records are never purged. An Archive* flag only has an effect
    // together with the matching Purge*After: records are archived as they are purged.

    public PurgePeriod? PurgeEventAfter { get; init; }
    public PurgePeriod? PurgeJobAfter { get; init; }
    public PurgePeriod? PurgeResvAfter { get; init; }
    public PurgePeriod? PurgeStepAfter { get; init; }
    public PurgePeriod? PurgeSuspendAfter { get; init; }
    public PurgePeriod? PurgeTXNAfter { get; init; }
    public PurgePeriod? PurgeUsageAfter { get; init; }

    /// <summary>DEFAULT_SLURMDBD_ARCHIVE_DIR.</summary>
    public string ArchiveDir { get; init; } = "/tmp";

    /// <summary>Run instead of slurmdbd's own archiving, when set.</summary>
    public string? ArchiveScript { get; init; }

    public bool ArchiveEvents { get; init; }
    public bool ArchiveJobs { get; init; }
    public bool ArchiveResvs { get; init; }
    public bool ArchiveSteps { get; init; }
    public bool ArchiveSuspend { get; init; }
    public bool ArchiveTXN { get; init; }
    public bool ArchiveUsage { get; init; }
}
