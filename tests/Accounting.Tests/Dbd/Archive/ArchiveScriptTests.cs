using Accounting.Dbd.Archive;
using Accounting.Dbd.Configuration;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Accounting.Tests.Dbd.Archive;

/// <summary>ArchiveScript runs in place of the daemon's own archiving, with the reference's environment.</summary>
public sealed class ArchiveScriptTests
{
    private static readonly long Now = new DateTimeOffset(2026, 6, 15, 12, 34, 56, TimeSpan.Zero).ToUnixTimeSeconds();

    private static ArchiveScriptRunner Runner() => new(PurgeTimeZone.Utc, NullLogger<ArchiveScriptRunner>.Instance);

    [Fact]
    public async Task The_script_gets_the_cluster_the_archive_bits_and_the_purge_ends_and_nothing_else()
    {
        using var directory = new TemporaryDirectory("script");
        string script = directory.File("archive.sh"), output = directory.File("env.txt");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\nenv | sort > {output}\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var condition = new ArchiveCondition
        {
            ArchiveScript = script,
            PurgeJob = new PurgeRule(new PurgePeriod(2, PurgeUnit.Days), Archive: true).ToWire(),
            PurgeStep = new PurgeRule(new PurgePeriod(3, PurgeUnit.Hours), Archive: false).ToWire(),
        };

        Assert.Equal(SlurmError.Success, await Runner().RunAsync(condition, "alpha", Now));

        long jobEnd = new DateTimeOffset(2026, 6, 13, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds() - 1;
        long stepEnd = new DateTimeOffset(2026, 6, 15, 9, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds() - 1;
        var lines = (await File.ReadAllLinesAsync(output)).Where(line => !line.StartsWith("PWD=", StringComparison.Ordinal)
            && !line.StartsWith("SHLVL=", StringComparison.Ordinal) && !line.StartsWith("_=", StringComparison.Ordinal));
        Assert.Equal([
            "PATH=/bin:/usr/bin",
            "SLURM_ARCHIVE_CLUSTER=alpha",
            "SLURM_ARCHIVE_JOBS=524288",
            $"SLURM_ARCHIVE_LAST_JOB={jobEnd}",
            $"SLURM_ARCHIVE_LAST_STEP={stepEnd}",
            "SLURM_ARCHIVE_STEPS=0",
        ], lines);
    }

    [Fact]
    public async Task A_failing_or_missing_script_is_an_error()
    {
        using var directory = new TemporaryDirectory("script");
        string script = directory.File("fails.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\nexit 3\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Assert.Equal(SlurmError.Error, await Runner().RunAsync(new ArchiveCondition { ArchiveScript = script }, "alpha", Now));
        Assert.Equal(SlurmError.Error, await Runner().RunAsync(new ArchiveCondition { ArchiveScript = directory.File("none.sh") }, "alpha", Now));
    }
}
