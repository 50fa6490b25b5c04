using Accounting.Dbd.Configuration;
using Xunit;

namespace Accounting.Tests.Dbd.Configuration;

public class RealisticConfTests
{
    // Modelled on the man page example and a typical site file.
    private const string Conf = """
        #
        # /etc/slurm/slurmdbd.conf
        #
        ArchiveEvents=yes
        ArchiveJobs=yes
        ArchiveResvs=yes
        ArchiveSteps=no
        ArchiveSuspend=no
        ArchiveTXN=no
        ArchiveUsage=no
        ArchiveDir=/var/spool/slurm/archive
        #ArchiveScript=/usr/sbin/slurm.dbd.archive
        AuthInfo=/var/run/munge/munge.socket.2
        AuthType=auth/munge
        AuthAltTypes=auth/jwt
        AuthAltParameters=jwt_key=/etc/slurm/jwt_hs256.key
        DbdHost=dbd01
        DbdAddr=dbd01-ib
        DbdBackupHost=dbd02
        DbdPort=6819
        DebugLevel=verbose
        DebugLevelSyslog=error
        DebugFlags=DB_ARCHIVE,DB_USAGE
        DefaultQOS=normal
        CommitDelay=1
        MessageTimeout=30
        TCPTimeout=5
        PurgeEventAfter=1month
        PurgeJobAfter=12month
        PurgeResvAfter=1month
        PurgeStepAfter=1month
        PurgeSuspendAfter=1month
        PurgeTXNAfter=12month
        PurgeUsageAfter=24month
        LogFile=/var/log/slurm/slurmdbd.log
        LogTimeFormat=iso8601
        PidFile=/run/slurmdbd/slurmdbd.pid
        SlurmUser=slurm
        PrivateData=accounts,users,usage,jobs
        TrackWCKey=yes
        TrackSlurmctldDown=no
        AllowNoDefAcct=yes
        MaxQueryTimeRange=60-0
        Parameters=PreserveCaseUser
        CommunicationParameters=EnableIPv6
        StorageType=accounting_storage/mysql
        StorageHost=mariadb01
        StorageBackupHost=mariadb02
        StoragePort=3307
        StorageUser=slurm
        StoragePass="correct horse battery"
        StorageLoc=slurm_acct_db
        StorageParameters=SSL_CA=/etc/ssl/certs/ca.pem,SSL_CERT=/etc/slurm/db.crt,SSL_KEY=/etc/slurm/db.key
        """;

    [Fact]
    public void FullFile_ParsesWithoutWarnings()
    {
        using var dir = new TempDirectory();
        var result = SlurmdbdConfParser.Parse(dir.Write("slurmdbd.conf", Conf));
        var c = result.Config;

        Assert.Empty(result.Warnings);
        Assert.True(c.ArchiveEvents && c.ArchiveJobs && c.ArchiveResvs);
        Assert.False(c.ArchiveSteps || c.ArchiveSuspend || c.ArchiveTXN || c.ArchiveUsage);
        Assert.Equal("/var/spool/slurm/archive", c.ArchiveDir);
        Assert.Null(c.ArchiveScript);
        Assert.Equal("/var/run/munge/munge.socket.2", c.AuthInfo?.Socket);
        Assert.Equal("auth/munge", c.AuthType);
        Assert.Equal(["auth/jwt"], c.AuthAltTypes);
        Assert.Equal("jwt_key=/etc/slurm/jwt_hs256.key", c.AuthAltParameters);
        Assert.Equal("dbd01", c.DbdHost);
        Assert.Equal("dbd01-ib", c.DbdAddr);
        Assert.Equal("dbd02", c.DbdBackupHost);
        Assert.Equal(6819, c.DbdPort);
        Assert.Equal(SlurmLogLevel.Verbose, c.DebugLevel);
        Assert.Equal(SlurmLogLevel.Error, c.DebugLevelSyslog);
        Assert.True(c.DebugFlags.SetEquals(["DB_Archive", "DB_Usage"]));
        Assert.Equal("normal", c.DefaultQOS);
        Assert.Equal(TimeSpan.FromSeconds(1), c.CommitDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), c.MessageTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), c.TCPTimeout);
        Assert.Equal(new PurgePeriod(1, PurgeUnit.Months), c.PurgeEventAfter);
        Assert.Equal(new PurgePeriod(12, PurgeUnit.Months), c.PurgeJobAfter);
        Assert.Equal(new PurgePeriod(24, PurgeUnit.Months), c.PurgeUsageAfter);
        Assert.Equal("/var/log/slurm/slurmdbd.log", c.LogFile);
        Assert.Equal(LogTimeFormat.Iso8601, c.LogTimeFormat);
        Assert.Equal("/run/slurmdbd/slurmdbd.pid", c.PidFile);
        Assert.Equal("slurm", c.SlurmUser);
        Assert.Equal(PrivateData.Accounts | PrivateData.Users | PrivateData.Usage | PrivateData.Jobs, c.PrivateData);
        Assert.True(c.TrackWCKey);
        Assert.False(c.TrackSlurmctldDown);
        Assert.True(c.AllowNoDefAcct);
        Assert.Equal(TimeSpan.FromDays(60), c.MaxQueryTimeRange);
        Assert.True(c.PreserveCaseUser);
        Assert.True(c.CommunicationParameters.IPv6Enabled);
        Assert.True(c.CommunicationParameters.IPv4Enabled);
        Assert.Equal("accounting_storage/mysql", c.StorageType);
        Assert.Equal("mariadb01", c.StorageHost);
        Assert.Equal("mariadb02", c.StorageBackupHost);
        Assert.Equal(3307, c.StoragePort);
        Assert.Equal("slurm", c.StorageUser);
        Assert.Equal("correct horse battery", c.StoragePass);
        Assert.Equal("slurm_acct_db", c.StorageLoc);
        Assert.Equal("/etc/ssl/certs/ca.pem", c.StorageParameters["ssl_ca"]);
        Assert.Equal("/etc/slurm/db.key", c.StorageParameters["SSL_KEY"]);
    }
}
