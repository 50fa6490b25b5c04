using System.Text;

namespace Accounting.Dbd.Configuration;

public sealed partial record DbdConfig
{
    /// <summary>What ToString shows in place of StoragePass (slurmdbd leaves it out of its dump entirely).</summary>
    public const string RedactedPassword = "******";

    // Replaces the compiler's PrintMembers so that ToString() can never reveal StoragePass, and
    // shows lists and dictionaries by content rather than by type name.
    private bool PrintMembers(StringBuilder builder)
    {
        (string Name, object? Value)[] members =
        [
            (nameof(DbdHost), DbdHost),
            (nameof(DbdAddr), DbdAddr),
            (nameof(DbdPort), DbdPort),
            (nameof(DbdBackupHost), DbdBackupHost),
            (nameof(PidFile), PidFile),
            (nameof(SlurmUser), SlurmUser),
            (nameof(PluginDir), PluginDir),
            (nameof(CommitDelay), CommitDelay),
            (nameof(MessageTimeout), MessageTimeout),
            (nameof(TCPTimeout), TCPTimeout),
            (nameof(CommunicationParameters), CommunicationParameters),
            (nameof(LogFile), LogFile),
            (nameof(DebugLevel), DebugLevel.ToSlurmName()),
            (nameof(DebugLevelSyslog), DebugLevelSyslog?.ToSlurmName()),
            (nameof(LogTimeFormat), LogTimeFormat),
            (nameof(DebugFlags), string.Join(",", DebugFlags.Order(StringComparer.OrdinalIgnoreCase))),
            (nameof(AuthType), AuthType),
            (nameof(AuthInfo), AuthInfo?.Raw),
            (nameof(AuthAltTypes), string.Join(",", AuthAltTypes)),
            (nameof(AuthAltParameters), AuthAltParameters),
            (nameof(StorageType), StorageType),
            (nameof(StorageHost), StorageHost),
            (nameof(StorageBackupHost), StorageBackupHost),
            (nameof(StoragePort), StoragePort),
            (nameof(StorageUser), StorageUser),
            (nameof(StoragePass), StoragePass is null ? null : RedactedPassword),
            (nameof(StorageLoc), StorageLoc),
            (nameof(StorageParameters), string.Join(",", StorageParameters.Select(p => $"{p.Key}={p.Value}"))),
            (nameof(AllowNoDefAcct), AllowNoDefAcct),
            (nameof(DefaultQOS), DefaultQOS),
            (nameof(PrivateData), PrivateData),
            (nameof(TrackWCKey), TrackWCKey),
            (nameof(TrackSlurmctldDown), TrackSlurmctldDown),
            (nameof(MaxQueryTimeRange), MaxQueryTimeRange?.ToString() ?? "INFINITE"),
            (nameof(Parameters), string.Join(",", Parameters)),
            (nameof(PreserveCaseUser), PreserveCaseUser),
            (nameof(PurgeEventAfter), PurgeEventAfter?.ToString() ?? "NONE"),
            (nameof(PurgeJobAfter), PurgeJobAfter?.ToString() ?? "NONE"),
            (nameof(PurgeResvAfter), PurgeResvAfter?.ToString() ?? "NONE"),
            (nameof(PurgeStepAfter), PurgeStepAfter?.ToString() ?? "NONE"),
            (nameof(PurgeSuspendAfter), PurgeSuspendAfter?.ToString() ?? "NONE"),
            (nameof(PurgeTXNAfter), PurgeTXNAfter?.ToString() ?? "NONE"),
            (nameof(PurgeUsageAfter), PurgeUsageAfter?.ToString() ?? "NONE"),
            (nameof(ArchiveDir), ArchiveDir),
            (nameof(ArchiveScript), ArchiveScript),
            (nameof(ArchiveEvents), ArchiveEvents),
            (nameof(ArchiveJobs), ArchiveJobs),
            (nameof(ArchiveResvs), ArchiveResvs),
            (nameof(ArchiveSteps), ArchiveSteps),
            (nameof(ArchiveSuspend), ArchiveSuspend),
            (nameof(ArchiveTXN), ArchiveTXN),
            (nameof(ArchiveUsage), ArchiveUsage),
        ];
        builder.AppendJoin(", ", members.Select(m => $"{m.Name} = {m.Value}"));
        return true;
    }
}
