using Accounting.Dbd.Configuration;
using Xunit;

namespace Accounting.Tests.Dbd.Configuration;

/// <summary>The DBD_GOT_CONFIG list must match slurmdbd 22.05.8's dump_config key for key.</summary>
public class ConfigDumperTests
{
    private const string ConfPath = "/etc/slurm/slurmdbd.conf";
    private const long BootTime = 1_700_000_000; // 2023-11-14T22:13:20Z

    private static uint? UidOf(string name) => name switch
    {
        "root" => 0,
        "slurm" => 450,
        _ => null,
    };

    private static IReadOnlyList<(string Name, string? Value)> Dump(DbdConfig config, long bootTime = BootTime) =>
        ConfigDumper.Dump(config, ConfPath, bootTime, UidOf, TimeZoneInfo.Utc);

    private static Dictionary<string, string?> DumpOf(string confLines) =>
        Dump(SlurmdbdConfParser.ParseText(confLines, ConfPath).Config).ToDictionary(pair => pair.Name, pair => pair.Value);

    [Fact]
    public void Defaults_AreEveryKeyInSlurmsOrderWithSlurmsFormats()
    {
        (string, string?)[] expected =
        [
            ("AllowNoDefAcct", "No"),
            ("ArchiveDir", "/tmp"),
            ("ArchiveEvents", "No"),
            ("ArchiveJobs", "No"),
            ("ArchiveResvs", "No"),
            ("ArchiveScript", null),
            ("ArchiveSteps", "No"),
            ("ArchiveSuspend", "No"),
            ("ArchiveTXN", "No"),
            ("ArchiveUsage", "No"),
            ("AuthAltTypes", null),
            ("AuthAltParameters", null),
            ("AuthInfo", null),
            ("AuthType", "auth/munge"),
            ("BOOT_TIME", "2023-11-14T22:13:20"),
            ("CommitDelay", "No"),
            ("CommunicationParameters", null),
            ("DbdAddr", "localhost"),
            ("DbdBackupHost", null),
            ("DbdHost", "localhost"),
            ("DbdPort", "6819"),
            ("DebugFlags", null),
            ("DebugLevel", "info"),
            ("DebugLevelSyslog", "(null)"),
            ("DefaultQOS", null),
            ("LogFile", null),
            ("MaxQueryTimeRange", "UNLIMITED"),
            ("MessageTimeout", "10 secs"),
            ("Parameters", null),
            ("PidFile", "/var/run/slurmdbd.pid"),
            ("PluginDir", null),
            ("PrivateData", "none"),
            ("PurgeEventAfter", "NONE"),
            ("PurgeJobAfter", "NONE"),
            ("PurgeResvAfter", "NONE"),
            ("PurgeStepAfter", "NONE"),
            ("PurgeSuspendAfter", "NONE"),
            ("PurgeTXNAfter", "NONE"),
            ("PurgeUsageAfter", "NONE"),
            ("SLURMDBD_CONF", ConfPath),
            ("SLURMDBD_VERSION", "22.05.8"),
            ("SlurmUser", "root(0)"),
            ("StorageBackupHost", null),
            ("StorageHost", "localhost"),
            ("StorageLoc", "slurm_acct_db"),
            ("StorageParameters", null),
            ("StoragePort", "3306"),
            ("StorageType", "accounting_storage/mysql"),
            ("StorageUser", null),
            ("TCPTimeout", "2 secs"),
            ("TrackWCKey", "No"),
            ("TrackSlurmctldDown", "No"),
        ];

        Assert.Equal(expected, Dump(new DbdConfig()));
    }

    [Fact]
    public void PurgePeriods_ShowTheirUnitAndAStarWhenArchived()
    {
        var dump = DumpOf("""
            ArchiveJobs=yes
            ArchiveUsage=yes
            ArchiveEvents=yes
            PurgeJobAfter=12
            PurgeStepAfter=36h
            PurgeUsageAfter=7days
            PurgeResvAfter=2mo
            PurgeTXNAfter=0
            PurgeSuspendMonths=0
            """);

        Assert.Equal("12 months*", dump["PurgeJobAfter"]);
        Assert.Equal("36 hours", dump["PurgeStepAfter"]);
        Assert.Equal("7 days*", dump["PurgeUsageAfter"]);
        Assert.Equal("2 months", dump["PurgeResvAfter"]);
        Assert.Equal("0 months", dump["PurgeTXNAfter"]); // a zero *After is a period; a zero *Months is none
        Assert.Equal("NONE", dump["PurgeSuspendAfter"]);
        Assert.Equal("NONE", dump["PurgeEventAfter"]);
        Assert.Equal("Yes", dump["ArchiveJobs"]);
        Assert.Equal("Yes", dump["ArchiveUsage"]);
        // Slurm keeps the archive flag in the purge value, so it is lost when nothing is purged.
        Assert.Equal("No", dump["ArchiveEvents"]);
        Assert.Equal("No", dump["ArchiveSteps"]);
    }

    [Fact]
    public void SettingsAreShownTheWaySlurmdbdPrintsThem()
    {
        var dump = DumpOf("""
            DbdHost=db1
            DbdPort=7000
            SlurmUser=slurm
            PrivateData=users,accounts,usage,jobs
            DebugFlags=DB_TRES,jag,Accrue,db_assoc,JobAccountGather
            DebugLevel=debug2
            DebugLevelSyslog=error
            CommitDelay=1
            MessageTimeout=30
            TCPTimeout=5
            AuthAltTypes=auth/jwt
            Parameters=PreserveCaseUser,SomethingNew
            CommunicationParameters=EnableIPv6,block_null_hash
            StorageParameters=SSL_CA=/etc/ssl/ca.pem,ssl_cert=/x,,junk
            """);

        Assert.Equal("db1", dump["DbdAddr"]);
        Assert.Equal("7000", dump["DbdPort"]);
        Assert.Equal("slurm(450)", dump["SlurmUser"]);
        Assert.Equal("accounts,jobs,usage,users", dump["PrivateData"]);
        Assert.Equal("Accrue,JobAccountGather,DB_Assoc,DB_TRES", dump["DebugFlags"]);
        Assert.Equal("debug2", dump["DebugLevel"]);
        Assert.Equal("error", dump["DebugLevelSyslog"]);
        Assert.Equal("Yes", dump["CommitDelay"]);
        Assert.Equal("30 secs", dump["MessageTimeout"]);
        Assert.Equal("5 secs", dump["TCPTimeout"]);
        Assert.Equal("auth/jwt", dump["AuthAltTypes"]);
        Assert.Equal("PreserveCaseUser,SomethingNew", dump["Parameters"]);
        Assert.Equal("EnableIPv6,block_null_hash", dump["CommunicationParameters"]);
        Assert.Equal("SSL_CA=/etc/ssl/ca.pem,ssl_cert=/x,,junk", dump["StorageParameters"]);
    }

    [Fact]
    public void PrivateDataAll_ListsEveryBitIncludingCloud()
    {
        Assert.Equal("accounts,cloud,events,jobs,nodes,partitions,reservations,usage,users",
            DumpOf("PrivateData=all")["PrivateData"]);
    }

    [Theory]
    [InlineData(null, "UNLIMITED")]
    [InlineData(0, "00:00:00")]
    [InlineData(59, "00:00:59")]
    [InlineData(2 * 3600 + 5 * 60, "02:05:00")]
    [InlineData(86400 + 2 * 3600 + 3 * 60 + 4, "1-02:03:04")]
    [InlineData(60 * 86400, "60-00:00:00")]
    public void MaxQueryTimeRange_IsDaysHoursMinutesSeconds(int? seconds, string shown)
    {
        var config = new DbdConfig { MaxQueryTimeRange = seconds is int s ? TimeSpan.FromSeconds(s) : null };
        Assert.Equal(shown, Dump(config).Single(pair => pair.Name == "MaxQueryTimeRange").Value);
    }

    [Theory]
    [InlineData(BootTime, "2023-11-15T00:13:20")]
    [InlineData(0, "Unknown")]
    [InlineData(0xFFFFFFFF, "Unknown")] // INFINITE
    [InlineData(0xFFFFFFFE, "None")] // NO_VAL
    public void BootTime_IsLocalTimeInSlurmsStandardFormat(long bootTime, string shown)
    {
        var plusTwo = TimeZoneInfo.CreateCustomTimeZone("UTC+2", TimeSpan.FromHours(2), "UTC+2", "UTC+2");
        var dump = ConfigDumper.Dump(new DbdConfig(), ConfPath, bootTime, UidOf, plusTwo);

        Assert.Equal(shown, dump.Single(pair => pair.Name == "BOOT_TIME").Value);
    }

    [Fact]
    public void StoragePass_IsNeverIncluded()
    {
        const string Secret = "Sup3rSecretPw";
        var config = SlurmdbdConfParser.ParseText($"StorageUser=slurm\nStoragePass={Secret}\n", ConfPath).Config;

        var dump = Dump(config);

        Assert.DoesNotContain(dump, pair => pair.Name.Contains("Pass", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(dump, pair => pair.Value?.Contains(Secret) == true);
        Assert.Contains(("StorageUser", "slurm"), dump);
    }

    [Fact]
    public void UnknownSlurmUser_IsRefused()
    {
        var config = new DbdConfig { SlurmUser = "nobody-here" };
        Assert.Throws<ArgumentException>(() => Dump(config));
    }
}
