using System.Diagnostics;
using System.Globalization;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Archive;

/// <summary>
/// ArchiveScript (common_as.c archive_run_script): the script archives and purges in place of the
/// daemon. Its environment is only PATH and SLURM_ARCHIVE_CLUSTER plus, for every table with a purge
/// value, SLURM_ARCHIVE_X (the archive bit as a number: 524288 or 0) and SLURM_ARCHIVE_LAST_X (the
/// purge end). The reference execve()s the script, replacing slurmdbd itself; we run it as a child and
/// wait for it. Its reservation variables use the job setting there; here they use PurgeResvAfter.
/// </summary>
public sealed class ArchiveScriptRunner(TimeProvider time, ILogger<ArchiveScriptRunner> log)
{
    private static readonly (PurgeTarget Target, string Flag, string Last)[] Variables =
    [
        (PurgeTarget.Event, "SLURM_ARCHIVE_EVENTS", "SLURM_ARCHIVE_LAST_EVENT"),
        (PurgeTarget.Job, "SLURM_ARCHIVE_JOBS", "SLURM_ARCHIVE_LAST_JOB"),
        (PurgeTarget.Reservation, "SLURM_ARCHIVE_RESV", "SLURM_ARCHIVE_LAST_RESV"),
        (PurgeTarget.Step, "SLURM_ARCHIVE_STEPS", "SLURM_ARCHIVE_LAST_STEP"),
        (PurgeTarget.Suspend, "SLURM_ARCHIVE_SUSPEND", "SLURM_ARCHIVE_LAST_SUSPEND"),
        (PurgeTarget.Transaction, "SLURM_ARCHIVE_TXN", "SLURM_ARCHIVE_LAST_TXN"),
        (PurgeTarget.Usage, "SLURM_ARCHIVE_USAGE", "SLURM_ARCHIVE_LAST_USAGE"),
    ];

    public async Task<int> RunAsync(ArchiveCondition condition, string cluster, long now)
    {
        string path = condition.ArchiveScript!;
        if (!File.Exists(path) || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
        {
            log.LogError("archive_run_script: {Script} isn't an executable regular file", path);
            return SlurmError.Error;
        }
        var start = new ProcessStartInfo(path) { UseShellExecute = false };
        start.Environment.Clear();
        start.Environment["PATH"] = "/bin:/usr/bin";
        start.Environment["SLURM_ARCHIVE_CLUSTER"] = cluster;
        foreach (var (target, flag, last) in Variables)
        {
            uint value = ArchivePurge.ValueFor(condition, target);
            if (value == SlurmValues.NoVal)
                continue;
            if (!PurgeRule.TryFromWire(value, out var rule))
            {
                log.LogError("archive_run_script: no known unit given for purge of {Variable} ({Value:x})", flag, value);
                return SlurmError.Error;
            }
            start.Environment[flag] = (value & PurgeRule.ArchiveFlag).ToString(CultureInfo.InvariantCulture);
            start.Environment[last] = rule.PurgeEnd(now, time.LocalTimeZone).ToString(CultureInfo.InvariantCulture);
        }
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode == 0)
            return SlurmError.Success;
        log.LogError("archive_run_script: {Script} exited with {ExitCode} for cluster {Cluster}", path, process.ExitCode, cluster);
        return SlurmError.Error;
    }
}
