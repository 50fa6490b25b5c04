using Accounting.Dbd.Configuration;
using Xunit;

namespace Accounting.Tests.Dbd.Configuration;

public class CommandLineTests
{
    private static DaemonOptions Parse(params string[] args) => CommandLine.Parse(args, slurmConf: null);

    [Fact]
    public void NoArguments_GiveDefaults()
    {
        var options = Parse();

        Assert.False(options.Foreground);
        Assert.Equal("/etc/slurm/slurmdbd.conf", options.ConfigFile);
        Assert.Equal(0, options.Verbosity);
        Assert.Equal(0, options.Nice);
        Assert.False(options.ResetLftRgt);
        Assert.False(options.ChangeWorkingDirectory);
        Assert.False(options.ShowHelp);
        Assert.False(options.ShowVersion);
        Assert.False(options.MigrateOnly);
        Assert.Empty(options.Warnings);
    }

    [Fact]
    public void ForegroundConfigFileAndBundledVerbose()
    {
        var options = Parse("-D", "-f", "x", "-vvv");

        Assert.True(options.Foreground);
        Assert.Equal("x", options.ConfigFile);
        Assert.Equal(3, options.Verbosity);
    }

    [Fact]
    public void RepeatedVerbose_Counts()
    {
        Assert.Equal(2, Parse("-v", "-v").Verbosity);
    }

    [Fact]
    public void OptionValues_MayBeAttachedOrBundled()
    {
        var options = Parse("-Dsf/etc/alt.conf", "-n-5");

        Assert.True(options.Foreground);
        Assert.True(options.ChangeWorkingDirectory);
        Assert.Equal("/etc/alt.conf", options.ConfigFile);
        Assert.Equal(-5, options.Nice);
    }

    [Fact]
    public void Nice_TakesTheNextArgumentEvenIfItLooksLikeAnOption()
    {
        Assert.Equal(-10, Parse("-n", "-10").Nice);
    }

    [Fact]
    public void Nice_NotANumber_IsIgnoredWithAWarning()
    {
        var options = Parse("-n", "low");

        Assert.Equal(0, options.Nice);
        Assert.Equal(["Invalid option for -n option (nice value), ignored"], options.Warnings);
    }

    [Fact]
    public void ResetLftRgt_WithAndWithoutClusters()
    {
        Assert.True(Parse("-R").ResetLftRgt);
        Assert.Empty(Parse("-R").ResetLftRgtClusters);

        var options = Parse("-RAlpha,beta,alpha");
        Assert.True(options.ResetLftRgt);
        Assert.Equal(["alpha", "beta"], options.ResetLftRgtClusters);
    }

    [Fact]
    public void ResetLftRgt_ClusterAsSeparateArgument_IsRefused()
    {
        // slurmdbd would ignore "alpha" and reset every cluster.
        var error = Assert.Throws<CommandLineException>(() => Parse("-R", "alpha"));
        Assert.StartsWith("slurmdbd: unexpected argument 'alpha'", error.Message);
    }

    [Fact]
    public void HelpAndVersion_StopParsingLikeSlurmdbd()
    {
        Assert.True(Parse("-h", "-Z").ShowHelp);
        Assert.True(Parse("-V").ShowVersion);
        Assert.Throws<CommandLineException>(() => Parse("-Z", "-h"));
    }

    [Fact]
    public void MigrateOnly_IsOurLongOption()
    {
        var options = Parse("--migrate-only", "-D");

        Assert.True(options.MigrateOnly);
        Assert.True(options.Foreground);
    }

    [Theory]
    [InlineData(new[] { "-x" }, "invalid option -- 'x'")]
    [InlineData(new[] { "-Dq" }, "invalid option -- 'q'")]
    [InlineData(new[] { "--foreground" }, "unrecognized option '--foreground'")]
    [InlineData(new[] { "-f" }, "option requires an argument -- 'f'")]
    [InlineData(new[] { "-D", "-n" }, "option requires an argument -- 'n'")]
    [InlineData(new[] { "extra" }, "unexpected argument 'extra'")]
    [InlineData(new[] { "--", "extra" }, "unexpected argument 'extra'")]
    public void BadArguments_ThrowWithUsage(string[] args, string reason)
    {
        var error = Assert.Throws<CommandLineException>(() => Parse(args));

        Assert.StartsWith($"slurmdbd: {reason}", error.Message);
        Assert.Contains("Usage: slurmdbd [OPTIONS]", error.Message);
    }

    [Fact]
    public void UsageText_ListsEveryOption()
    {
        foreach (string option in new[] { "-D", "-f", "-h", "-n", "-R", "-s", "-v", "-V", "--migrate-only" })
            Assert.Contains($"  {option} ", CommandLine.UsageText.Replace("\t", " "));
    }

    [Theory]
    [InlineData(null, "/etc/slurm/slurmdbd.conf")]
    [InlineData("/opt/slurm/etc/slurm.conf", "/opt/slurm/etc/slurmdbd.conf")]
    [InlineData("/opt/slurm/etc/", "/opt/slurm/etc/slurmdbd.conf")]
    [InlineData("slurm.conf", "slurmdbd.conf")]
    public void DefaultConfigFile_IsNextToSlurmConf(string? slurmConf, string expected)
    {
        Assert.Equal(expected, CommandLine.Parse([], slurmConf).ConfigFile);
    }

    [Fact]
    public void ConfigFileOption_WinsOverSlurmConf()
    {
        Assert.Equal("/x/dbd.conf", CommandLine.Parse(["-f", "/x/dbd.conf"], "/opt/slurm.conf").ConfigFile);
    }

    [Theory]
    [InlineData(0, SlurmLogLevel.Debug3, SlurmLogLevel.Debug3)]
    [InlineData(1, SlurmLogLevel.Debug3, SlurmLogLevel.Verbose)] // -v replaces the configured level
    [InlineData(3, SlurmLogLevel.Quiet, SlurmLogLevel.Debug2)]
    [InlineData(9, SlurmLogLevel.Info, SlurmLogLevel.Debug5)]
    public void EffectiveDebugLevel_FollowsSlurmdbd(int verbosity, SlurmLogLevel configured, SlurmLogLevel expected)
    {
        var options = Parse() with { Verbosity = verbosity };
        Assert.Equal(expected, options.EffectiveDebugLevel(configured));
    }
}
