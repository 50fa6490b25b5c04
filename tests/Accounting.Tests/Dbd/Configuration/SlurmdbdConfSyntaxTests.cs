using Accounting.Dbd.Configuration;
using Xunit;

namespace Accounting.Tests.Dbd.Configuration;

/// <summary>The line syntax slurmdbd.conf shares with every Slurm config file (parse_config.c).</summary>
public class SlurmdbdConfSyntaxTests
{
    private static ParseResult Parse(string text) => SlurmdbdConfParser.ParseText(text, "slurmdbd.conf");

    [Fact]
    public void Keys_AreCaseInsensitive()
    {
        var config = Parse("dbdhost=db1\nDBDPORT=7000\nStOrAgElOc=acct\n").Config;

        Assert.Equal("db1", config.DbdHost);
        Assert.Equal(7000, config.DbdPort);
        Assert.Equal("acct", config.StorageLoc);
    }

    [Fact]
    public void Values_KeepTheirCase()
    {
        Assert.Equal("/Var/Log/SlurmDBD.log", Parse("LogFile=/Var/Log/SlurmDBD.log").Config.LogFile);
    }

    [Fact]
    public void CommentsBlankLinesAndWhitespace_AreIgnored()
    {
        const string Text = """
            # A comment line
               
            	DbdHost = db1   # trailing comment
            DbdPort=7000#no space needed
            """;

        var result = Parse(Text);

        Assert.Equal("db1", result.Config.DbdHost);
        Assert.Equal(7000, result.Config.DbdPort);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void EscapedHash_IsPartOfTheValue()
    {
        var config = Parse(@"DbdHost=db1" + "\n" + @"StoragePass=pa\#ss\\word # comment").Config;
        Assert.Equal(@"pa#ss\word", config.StoragePass);
    }

    [Fact]
    public void QuotedValue_MayContainBlanks()
    {
        var config = Parse("DbdHost=db1\nStoragePass=\"secret with spaces\"\nDefaultQOS=\"\"\n").Config;

        Assert.Equal("secret with spaces", config.StoragePass);
        Assert.Equal("", config.DefaultQOS);
    }

    [Fact]
    public void BackslashAtEndOfLine_ContinuesTheLine()
    {
        var result = Parse("DbdHost=db\\\n1\nDbdPort=\\   \n7000\n");

        Assert.Equal("db1", result.Config.DbdHost);
        Assert.Equal(7000, result.Config.DbdPort);
    }

    [Fact]
    public void CrLfLineEndings_AreAccepted()
    {
        var config = Parse("DbdHost=db1\r\nStorageLoc=\"acct db\"\r\n").Config;

        Assert.Equal("db1", config.DbdHost);
        Assert.Equal("acct db", config.StorageLoc);
    }

    [Fact]
    public void RepeatedKey_LastValueWinsWithAWarning()
    {
        var result = Parse("DbdHost=db1\nDbdPort=7000\ndbdport=7001\n");

        Assert.Equal(7001, result.Config.DbdPort);
        Assert.Equal(["slurmdbd.conf:3: DbdPort specified more than once, latest value used"], result.Warnings);
    }

    [Fact]
    public void UnknownKey_IsAWarningWithItsLine()
    {
        var result = Parse("DbdHost=db1\n\nAccountingStorageHost=x\n");

        Assert.Equal(["slurmdbd.conf:3: unknown key 'AccountingStorageHost'"], result.Warnings);
    }

    [Theory]
    [InlineData("DbdHost=db1\nDbdPort\n", "slurmdbd.conf:2: line is not of the form Key=Value")]
    [InlineData("DbdHost db1\n", "slurmdbd.conf:1: line is not of the form Key=Value")]
    [InlineData("DbdHost=\n", "slurmdbd.conf:1: line is not of the form Key=Value")]
    [InlineData("DbdHost=db1 DbdPort=7000\n", "slurmdbd.conf:1: unexpected text after the value of DbdHost")]
    [InlineData("# c\nDbdHost=\"db 1\"x\n", "slurmdbd.conf:2: unexpected text after the value of DbdHost")]
    public void MalformedLine_Throws(string text, string message)
    {
        var error = Assert.Throws<ConfigException>(() => Parse(text));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void LineNumbers_CountContinuedLines()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("DbdHost=a\\\nb\nDbdPort=x\n"));
        Assert.StartsWith("slurmdbd.conf:3: ", error.Message);
    }

    [Fact]
    public void Include_ReadsTheFileInPlaceRelativeToTheIncludingFile()
    {
        using var dir = new TempDirectory();
        dir.Write("storage.conf", "StorageHost=dbserver\nStoragePort=3307\nBogus=1\n");
        string main = dir.Write("slurmdbd.conf", "DbdHost=db1\nStoragePort=3000\ninclude storage.conf\nDbdPort=7000\n");

        var result = SlurmdbdConfParser.Parse(main);

        Assert.Equal("dbserver", result.Config.StorageHost);
        Assert.Equal(3307, result.Config.StoragePort);
        Assert.Equal(7000, result.Config.DbdPort);
        Assert.Contains($"{Path.Combine(dir.Path, "storage.conf")}:3: unknown key 'Bogus'", result.Warnings);
        Assert.Contains($"{Path.Combine(dir.Path, "storage.conf")}:2: StoragePort specified more than once, latest value used",
            result.Warnings);
    }

    [Fact]
    public void Include_OfAMissingFile_Throws()
    {
        using var dir = new TempDirectory();
        string main = dir.Write("slurmdbd.conf", "DbdHost=db1\nInclude missing.conf\n");

        var error = Assert.Throws<ConfigException>(() => SlurmdbdConfParser.Parse(main));
        Assert.StartsWith($"{main}:2: \"Include\" of {Path.Combine(dir.Path, "missing.conf")} failed", error.Message);
    }

    [Fact]
    public void Include_ThatLoops_Throws()
    {
        using var dir = new TempDirectory();
        dir.Write("a.conf", "Include slurmdbd.conf\n");
        string main = dir.Write("slurmdbd.conf", "DbdHost=db1\nInclude a.conf\n");

        var error = Assert.Throws<ConfigException>(() => SlurmdbdConfParser.Parse(main));
        Assert.Contains("loops back", error.Message);
    }

    [Fact]
    public void Include_WithClusterNameToken_Throws()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("Include %c.conf\n"));
        Assert.StartsWith("slurmdbd.conf:1: \"Include\" of %c.conf failed", error.Message);
    }

    [Fact]
    public void Parse_OfAMissingFile_Throws()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "slurmdbd.conf");

        var error = Assert.Throws<ConfigException>(() => SlurmdbdConfParser.Parse(path));
        Assert.StartsWith($"{path}: cannot read slurmdbd.conf", error.Message);
    }
}
