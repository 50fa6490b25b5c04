using Accounting.Dbd.Configuration;
using Xunit;

namespace Accounting.Tests.Dbd.Configuration;

/// <summary>How each key's value is read, and the errors slurmdbd would stop on.</summary>
public class SlurmdbdConfValueTests
{
    private static DbdConfig Parse(string lines) => ParseResult(lines).Config;

    private static ParseResult ParseResult(string lines) =>
        SlurmdbdConfParser.ParseText("DbdHost=db1\n" + lines + "\n", "/etc/slurm/slurmdbd.conf");

    [Theory]
    [InlineData("DbdPort=abc", "DbdPort value \"abc\" is not a valid number")]
    [InlineData("DbdPort=70000", "DbdPort value (70000) is greater than 65535")]
    [InlineData("DbdPort=-1", "DbdPort value (-1) is less than zero")]
    [InlineData("StoragePort=99999999999999999999999", "StoragePort value (99999999999999999999999) is out of range")]
    [InlineData("MessageTimeout=10s", "MessageTimeout value \"10s\" is not a valid number")]
    [InlineData("CommitDelay=1.5", "CommitDelay value \"1.5\" is not a valid number")]
    [InlineData("DebugLevel=loud", "Invalid DebugLevel loud")]
    [InlineData("DebugLevel=10", "Invalid DebugLevel 10")]
    [InlineData("DebugLevelSyslog=debug6", "Invalid DebugLevelSyslog debug6")]
    [InlineData("PurgeJobAfter=12weeks", "Bad value \"12weeks\" for PurgeJobAfter")]
    [InlineData("PurgeEventAfter=months", "Bad value \"months\" for PurgeEventAfter")]
    [InlineData("PurgeStepAfter=-1", "Bad value \"-1\" for PurgeStepAfter")]
    [InlineData("PurgeUsageAfter=70000days", "Bad value \"70000days\" for PurgeUsageAfter")]
    [InlineData("PurgeJobMonths=many", "PurgeJobMonths value \"many\" is not a valid number")]
    [InlineData("PurgeJobMonths=100000", "PurgeJobMonths value (100000) is greater than 65535")]
    [InlineData("TrackWCKey=maybe", "\"maybe\" is not a valid option for \"TrackWCKey\"")]
    [InlineData("ArchiveJobs=2", "\"2\" is not a valid option for \"ArchiveJobs\"")]
    [InlineData("DebugFlags=DB_QUERY,Loud", "Invalid DebugFlag: Loud")]
    [InlineData("MaxQueryTimeRange=soon", "Invalid MaxQueryTimeRange \"soon\"")]
    [InlineData("MaxQueryTimeRange=1:", "Invalid MaxQueryTimeRange \"1:\"")]
    [InlineData("StorageType=accounting_storage/slurmdbd",
        "StorageType=accounting_storage/slurmdbd is invalid in slurmdbd.conf")]
    [InlineData("CommunicationParameters=DisableIPv4",
        "Both IPv4 and IPv6 support disabled, cannot communicate")]
    public void MalformedValue_ThrowsWithFileAndLine(string line, string reason)
    {
        var error = Assert.Throws<ConfigException>(() => Parse(line));
        Assert.Equal($"/etc/slurm/slurmdbd.conf:2: {reason}", error.Message);
    }

    [Fact]
    public void NumbersAndBooleans_AreCheckedOnEveryLine_EvenWhenOverridden()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("DbdPort=abc\nDbdPort=7000"));
        Assert.StartsWith("/etc/slurm/slurmdbd.conf:2: ", error.Message);
    }

    [Theory]
    [InlineData("7000", 7000)]
    [InlineData("0x1b5b", 7003)] // strtoul base 0: hex ...
    [InlineData("017", 15)] // ... and octal
    [InlineData("0", 6819)] // 0 means the default port
    [InlineData("UNLIMITED", 65535)]
    public void DbdPort_TakesSlurmNumbers(string value, int port)
    {
        Assert.Equal(port, Parse($"DbdPort={value}").DbdPort);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("YES", true)]
    [InlineData("up", true)]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("no", false)]
    [InlineData("Down", false)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    public void Booleans_TakeSlurmWords(string value, bool expected)
    {
        Assert.Equal(expected, Parse($"TrackWCKey={value}").TrackWCKey);
    }

    [Theory]
    [InlineData("quiet", SlurmLogLevel.Quiet)]
    [InlineData("FATAL", SlurmLogLevel.Fatal)]
    [InlineData("error", SlurmLogLevel.Error)]
    [InlineData("info", SlurmLogLevel.Info)]
    [InlineData("verbose", SlurmLogLevel.Verbose)]
    [InlineData("debug", SlurmLogLevel.Debug)]
    [InlineData("debug2", SlurmLogLevel.Debug2)]
    [InlineData("Debug5", SlurmLogLevel.Debug5)]
    [InlineData("0", SlurmLogLevel.Quiet)]
    [InlineData("7", SlurmLogLevel.Debug3)]
    public void DebugLevel_TakesNamesAndNumbers(string value, SlurmLogLevel level)
    {
        var config = Parse($"DebugLevel={value}\nDebugLevelSyslog={value}");

        Assert.Equal(level, config.DebugLevel);
        Assert.Equal(level, config.DebugLevelSyslog);
    }

    [Theory]
    [InlineData("12", 12, PurgeUnit.Months)]
    [InlineData("12month", 12, PurgeUnit.Months)]
    [InlineData("24months", 24, PurgeUnit.Months)]
    [InlineData("1m", 1, PurgeUnit.Months)]
    [InlineData("7days", 7, PurgeUnit.Days)]
    [InlineData("7d", 7, PurgeUnit.Days)]
    [InlineData("36HOURS", 36, PurgeUnit.Hours)]
    [InlineData("36h", 36, PurgeUnit.Hours)]
    [InlineData("0", 0, PurgeUnit.Months)]
    public void PurgeAfter_TakesCountAndUnit(string value, int count, PurgeUnit unit)
    {
        Assert.Equal(new PurgePeriod(count, unit), Parse($"PurgeJobAfter={value}").PurgeJobAfter);
    }

    [Fact]
    public void EveryPurgeKey_IsRead()
    {
        var config = Parse("""
            PurgeEventAfter=1month
            PurgeJobAfter=12month
            PurgeResvAfter=2days
            PurgeStepAfter=3hours
            PurgeSuspendAfter=4
            PurgeTXNAfter=5months
            PurgeUsageAfter=24month
            """);

        Assert.Equal(new PurgePeriod(1, PurgeUnit.Months), config.PurgeEventAfter);
        Assert.Equal(new PurgePeriod(12, PurgeUnit.Months), config.PurgeJobAfter);
        Assert.Equal(new PurgePeriod(2, PurgeUnit.Days), config.PurgeResvAfter);
        Assert.Equal(new PurgePeriod(3, PurgeUnit.Hours), config.PurgeStepAfter);
        Assert.Equal(new PurgePeriod(4, PurgeUnit.Months), config.PurgeSuspendAfter);
        Assert.Equal(new PurgePeriod(5, PurgeUnit.Months), config.PurgeTXNAfter);
        Assert.Equal(new PurgePeriod(24, PurgeUnit.Months), config.PurgeUsageAfter);
        Assert.Equal("12 months", config.PurgeJobAfter.ToString());
    }

    [Fact]
    public void OldPurgeKeys_AreMonthsAndOverridePurgeAfter()
    {
        var config = Parse("PurgeJobMonths=6\nPurgeJobAfter=12days\nStepPurge=2\nPurgeStepAfter=1h\nPurgeUsageMonths=0\nPurgeUsageAfter=3");

        Assert.Equal(new PurgePeriod(6, PurgeUnit.Months), config.PurgeJobAfter);
        Assert.Equal(new PurgePeriod(2, PurgeUnit.Months), config.PurgeStepAfter);
        Assert.Null(config.PurgeUsageAfter); // 0 months in the old keys means "never purge"
    }

    [Theory]
    [InlineData("jobs", PrivateData.Jobs)]
    [InlineData("usage", PrivateData.Usage)]
    [InlineData("users", PrivateData.Users)]
    [InlineData("accounts", PrivateData.Accounts)]
    [InlineData("reservations", PrivateData.Reservations)]
    [InlineData("events", PrivateData.Events)]
    [InlineData("accounts,jobs,users", PrivateData.Accounts | PrivateData.Jobs | PrivateData.Users)]
    [InlineData("Account,Job,Event,Reservation", PrivateData.Accounts | PrivateData.Jobs | PrivateData.Events | PrivateData.Reservations)]
    [InlineData("usage,all", PrivateData.All)]
    public void PrivateData_TakesSlurmWords(string value, PrivateData expected)
    {
        var result = ParseResult($"PrivateData={value}");

        Assert.Equal(expected, result.Config.PrivateData);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void PrivateData_BitsAreSlurms()
    {
        Assert.Equal(0x1, (int)PrivateData.Jobs);
        Assert.Equal(0x8, (int)PrivateData.Usage);
        Assert.Equal(0x10, (int)PrivateData.Users);
        Assert.Equal(0x20, (int)PrivateData.Accounts);
        Assert.Equal(0x40, (int)PrivateData.Reservations);
        Assert.Equal(0x100, (int)PrivateData.Events);
        Assert.Equal(0xFFFF, (int)PrivateData.All);
    }

    [Fact]
    public void PrivateData_UnknownWord_IsAWarning()
    {
        var result = ParseResult("PrivateData=jobs,secrets");

        Assert.Equal(PrivateData.Jobs, result.Config.PrivateData);
        Assert.Equal(["/etc/slurm/slurmdbd.conf:2: PrivateData value 'secrets' not recognised, ignored"], result.Warnings);
    }

    [Theory]
    [InlineData("/var/run/munge/global.socket.2", "/var/run/munge/global.socket.2", null)]
    [InlineData("socket=/run/munge/alt.socket", "/run/munge/alt.socket", null)]
    [InlineData("ttl=60,socket=/run/munge/alt.socket,other=1", "/run/munge/alt.socket", 60)]
    [InlineData("ttl=60", null, 60)]
    public void AuthInfo_GivesSocketAndTtl(string value, string? socket, int? ttlSeconds)
    {
        var authInfo = Parse($"AuthInfo={value}").AuthInfo;

        Assert.NotNull(authInfo);
        Assert.Equal(value, authInfo.Raw);
        Assert.Equal(socket, authInfo.Socket);
        Assert.Equal(ttlSeconds is int s ? TimeSpan.FromSeconds(s) : null, authInfo.CredentialTtl);
    }

    [Fact]
    public void StorageParameters_AreCaseInsensitiveKeyValuePairs()
    {
        var result = ParseResult("StorageParameters=SSL_CA=/etc/ssl/ca.pem,ssl_cert=/etc/ssl/c=1.pem,,junk");
        var parameters = result.Config.StorageParameters;

        Assert.Equal("/etc/ssl/ca.pem", parameters["ssl_ca"]);
        Assert.Equal("/etc/ssl/c=1.pem", parameters["SSL_CERT"]);
        Assert.Equal(2, parameters.Count);
        Assert.Equal(["/etc/slurm/slurmdbd.conf:2: Invalid StorageParameters option 'junk', ignored"], result.Warnings);
    }

    [Fact]
    public void CommunicationParameters_AreRead()
    {
        var result = ParseResult("CommunicationParameters=EnableIPv6,DisableIPv4,keepaliveinterval=10,KeepAliveProbes=5,keepalivetime=-3");
        var parameters = result.Config.CommunicationParameters;

        Assert.False(parameters.IPv4Enabled);
        Assert.True(parameters.IPv6Enabled);
        Assert.Equal(TimeSpan.FromSeconds(10), parameters.KeepAliveInterval);
        Assert.Equal(5, parameters.KeepAliveProbes);
        Assert.Equal(TimeSpan.FromSeconds(30), parameters.KeepAliveTime);
        Assert.Equal(["/etc/slurm/slurmdbd.conf:2: CommunicationParameters option keepalivetime=-3 is invalid, ignored"],
            result.Warnings);
    }

    [Theory]
    [InlineData("block_null_hash", true, false)]
    [InlineData("BLOCK_ZERO_HASH", false, true)]
    [InlineData("EnableIPv6,Block_Null_Hash,block_zero_hash", true, true)]
    [InlineData("noblock_null_hash_please", true, false)] // xstrcasestr: found anywhere, not as a whole word
    [InlineData("block_null,hash,block_zero", false, false)]
    [InlineData("EnableIPv6", false, false)]
    public void CommunicationParameters_HashBlocking_IsFoundAnywhereIgnoringCase(string value, bool blockNull, bool blockZero)
    {
        var parameters = Parse($"CommunicationParameters={value}").CommunicationParameters;

        Assert.Equal(blockNull, parameters.BlockNullHash);
        Assert.Equal(blockZero, parameters.BlockZeroHash);
    }

    [Fact]
    public void Parameters_AreListedAndPreserveCaseUserIsRecognised()
    {
        var config = Parse("Parameters=preservecaseuser,SomethingNew");

        Assert.Equal(["preservecaseuser", "SomethingNew"], config.Parameters);
        Assert.True(config.PreserveCaseUser);
        Assert.False(config.AllowNoDefAcct); // a separate key in 22.05, not a Parameters option
    }

    [Theory]
    [InlineData("INFINITE", null)]
    [InlineData("unlimited", null)]
    [InlineData("-1", null)]
    [InlineData("60", 60 * 60)]
    [InlineData("5:30", 5 * 60 + 30)]
    [InlineData("2:00:00", 2 * 3600)]
    [InlineData("60-0", 60 * 86400)]
    [InlineData("1-2:03:04", 86400 + 2 * 3600 + 3 * 60 + 4)]
    public void MaxQueryTimeRange_TakesSlurmTimes(string value, int? seconds)
    {
        Assert.Equal(seconds is int s ? TimeSpan.FromSeconds(s) : null, Parse($"MaxQueryTimeRange={value}").MaxQueryTimeRange);
    }

    [Fact]
    public void DebugFlags_AreCanonicalised()
    {
        var result = ParseResult("DebugFlags=db_query,DB_JOB,jag,Task");

        Assert.True(result.Config.DebugFlags.SetEquals(["DB_Query", "DB_Job", "JobAccountGather"]));
        Assert.Contains("DB_QUERY", result.Config.DebugFlags);
        Assert.Equal(["/etc/slurm/slurmdbd.conf:2: DebugFlag Task has been removed, please use CPU_Bind"], result.Warnings);
    }

    [Fact]
    public void MessageTimeout_AboveOneHundred_Warns()
    {
        var result = ParseResult("MessageTimeout=120");

        Assert.Equal(TimeSpan.FromSeconds(120), result.Config.MessageTimeout);
        Assert.Equal(["/etc/slurm/slurmdbd.conf:2: MessageTimeout is too high for effective fault-tolerance"], result.Warnings);
    }

    [Fact]
    public void StorageDefaults_DependOnStorageType()
    {
        var config = Parse("StorageType=accounting_storage/other");

        Assert.Equal(0, config.StoragePort);
        Assert.Equal("/var/log/slurm_jobacct.log", config.StorageLoc);
    }

    [Fact]
    public void LogTimeFormat_IsRead()
    {
        Assert.Equal(LogTimeFormat.Rfc5424, Parse("LogTimeFormat=rfc5424").LogTimeFormat);
        Assert.Equal(LogTimeFormat.Iso8601, Parse("LogTimeFormat=ISO8601").LogTimeFormat);
    }
}
