using Accounting.Dbd.Storage;

namespace Accounting.Tests.Dbd.Storage;

/// <summary>StorageHost/StorageBackupHost take StoragePort unless the name carries its own (ours: host:port).</summary>
public sealed class DatabaseServerTests
{
    [Theory]
    [InlineData("db1", "db1", 3306u)]
    [InlineData("127.0.0.1:3317", "127.0.0.1", 3317u)]
    [InlineData("db1:notaport", "db1:notaport", 3306u)]
    [InlineData("db1:70000", "db1:70000", 3306u)]
    [InlineData("::1", "::1", 3306u)]
    public void A_host_name_takes_its_own_port_or_StoragePort(string name, string host, uint port)
    {
        Assert.Equal(new DatabaseServer("backup", host, port), DatabaseServer.Parse("backup", name, 3306));
    }

    [Fact]
    public void Without_StorageBackupHost_there_is_no_backup()
    {
        var options = new StorageOptions { Host = "db1", Port = 3307, Database = "slurm_acct_db" };
        Assert.Equal(new DatabaseServer("primary", "db1", 3307), options.Primary);
        Assert.Null(options.Backup);
        Assert.Equal(new DatabaseServer("backup", "db2", 3307), (options with { BackupHost = "db2" }).Backup);
    }
}
