using Accounting.Dbd.Configuration;
using Xunit;

namespace Accounting.Tests.Dbd.Configuration;

/// <summary>slurmdbd never shows StoragePass (dump_config leaves it out); neither may we.</summary>
public class StoragePassRedactionTests
{
    private const string Secret = "Sup3rSecretPw";

    [Fact]
    public void ToString_MasksStoragePass()
    {
        var config = new DbdConfig { StoragePass = Secret, StorageUser = "slurm" };
        string text = config.ToString();

        Assert.DoesNotContain(Secret, text);
        Assert.Contains("StoragePass = ******", text);
        Assert.Contains("StorageUser = slurm", text);
    }

    [Fact]
    public void ParseResultToString_MasksStoragePass()
    {
        var result = SlurmdbdConfParser.ParseText($"DbdHost=db1\nStoragePass={Secret}\n", "f");
        Assert.DoesNotContain(Secret, result.ToString());
    }

    [Fact]
    public void RepeatedStoragePass_WarningOmitsTheValue()
    {
        var result = SlurmdbdConfParser.ParseText($"DbdHost=db1\nStoragePass=old{Secret}\nStoragePass={Secret}\n", "f");

        Assert.Equal(Secret, result.Config.StoragePass);
        Assert.All(result.Warnings, w => Assert.DoesNotContain(Secret, w));
        Assert.Single(result.Warnings);
    }

    [Theory]
    [InlineData("StoragePass " + Secret)] // no '='
    [InlineData("StoragePass=" + Secret + " more" + Secret)] // text after the value
    [InlineData(Secret)]
    public void MalformedPasswordLine_ErrorOmitsTheValue(string line)
    {
        var error = Assert.Throws<ConfigException>(() => SlurmdbdConfParser.ParseText($"DbdHost=db1\n{line}\n", "f"));

        Assert.StartsWith("f:2: ", error.Message);
        Assert.DoesNotContain(Secret, error.Message);
    }

    [Fact]
    public void ToString_ShowsCollectionsByContent()
    {
        var config = SlurmdbdConfParser.ParseText("DbdHost=db1\nStorageParameters=SSL_CA=/ca.pem\nParameters=PreserveCaseUser\n", "f").Config;
        string text = config.ToString();

        Assert.Contains("StorageParameters = SSL_CA=/ca.pem", text);
        Assert.Contains("Parameters = PreserveCaseUser", text);
        Assert.Contains("PurgeJobAfter = NONE", text);
    }
}
