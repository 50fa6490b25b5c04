using Accounting.Dbd.Configuration;
using Xunit;

namespace Accounting.Tests.Dbd.Configuration;

public class DbdConfigDefaultsTests
{
    [Fact]
    public void NewConfig_HasSlurmDefaults()
    {
        var config = new DbdConfig();

        Assert.Equal("localhost", config.DbdHost);
        Assert.Equal("localhost", config.DbdAddr);
        Assert.Equal(6819, config.DbdPort);
        Assert.Null(config.DbdBackupHost);
        Assert.Equal("/var/run/slurmdbd.pid", config.PidFile);
        Assert.Equal("root", config.SlurmUser);
        Assert.Equal(TimeSpan.Zero, config.CommitDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), config.MessageTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), config.TCPTimeout);
        Assert.Null(config.LogFile);
        Assert.Equal(SlurmLogLevel.Info, config.DebugLevel);
        Assert.Null(config.DebugLevelSyslog);
        Assert.Equal(LogTimeFormat.Iso8601Ms, config.LogTimeFormat);
        Assert.Empty(config.DebugFlags);
        Assert.Equal("auth/munge", config.AuthType);
        Assert.Null(config.AuthInfo);
        Assert.Empty(config.AuthAltTypes);
        Assert.Equal("accounting_storage/mysql", config.StorageType);
        Assert.Equal("localhost", config.StorageHost);
        Assert.Equal(3306, config.StoragePort);
        Assert.Null(config.StorageUser);
        Assert.Null(config.StoragePass);
        Assert.Equal("slurm_acct_db", config.StorageLoc);
        Assert.Empty(config.StorageParameters);
        Assert.Equal(PrivateData.None, config.PrivateData);
        Assert.False(config.AllowNoDefAcct);
        Assert.False(config.TrackWCKey);
        Assert.False(config.TrackSlurmctldDown);
        Assert.Null(config.MaxQueryTimeRange);
        Assert.Empty(config.Parameters);
        Assert.False(config.PreserveCaseUser);
        Assert.Null(config.PurgeJobAfter);
        Assert.Null(config.PurgeUsageAfter);
        Assert.Equal("/tmp", config.ArchiveDir);
        Assert.Null(config.ArchiveScript);
        Assert.False(config.ArchiveJobs);
    }

    [Fact]
    public void CommunicationParameters_DefaultToIPv4AndSlurmdbdKeepalives()
    {
        var parameters = new DbdConfig().CommunicationParameters;

        Assert.True(parameters.IPv4Enabled);
        Assert.False(parameters.IPv6Enabled);
        Assert.False(parameters.BlockNullHash);
        Assert.False(parameters.BlockZeroHash);
        Assert.Equal(TimeSpan.FromSeconds(30), parameters.KeepAliveInterval);
        Assert.Equal(3, parameters.KeepAliveProbes);
        Assert.Equal(TimeSpan.FromSeconds(30), parameters.KeepAliveTime);
    }

    [Fact]
    public void DbdAddr_FollowsDbdHostUntilSet()
    {
        var config = new DbdConfig { DbdHost = "dbhost" };
        Assert.Equal("dbhost", config.DbdAddr);
        Assert.Equal("dbhost-eth1", (config with { DbdAddr = "dbhost-eth1" }).DbdAddr);
    }

    [Fact]
    public void EmptyFile_GivesDefaultsAndWarnsAboutDbdHost()
    {
        var result = SlurmdbdConfParser.ParseText("", "slurmdbd.conf");

        Assert.Equal(new DbdConfig().ToString(), result.Config.ToString());
        Assert.Equal(["slurmdbd.conf: slurmdbd.conf lacks DbdHost parameter, using 'localhost'"], result.Warnings);
    }
}
