using Accounting.Tests.Support;

namespace Accounting.Tests.EndToEnd;

public sealed partial class RealControllerTests
{
    /// <summary>
    /// Issue 5's "done when": the real controller runs Fixtures/Scripts/controller-jobs.sh (jobs that succeed,
    /// fail with exit 3, time out, are cancelled, an srun job, an array of ten tasks, a job with several steps)
    /// against our daemon, and every sacct invocation of the script prints, line for line and after the same
    /// normalisation, what it printed against the real slurmdbd 22.05.8 (RealOutput/controller-jobs.txt,
    /// recorded with scripts/record-real-controller.sh).
    /// </summary>
    [Fact]
    public async Task Sacct_prints_what_the_real_slurmdbd_printed_for_the_same_jobs() =>
        await RunsLikeTheRealSlurmdbdAsync("controller-jobs");

    /// <summary>
    /// Requeued jobs (Fixtures/Scripts/requeued-jobs.sh): `scontrol requeue` and `requeuehold` + `release` of
    /// running batch jobs, each run stored as its own record (REQUEUED, then COMPLETED), read back by sacct with
    /// and without -D as the real slurmdbd 22.05.8 answered (RealOutput/requeued-jobs.txt).
    /// </summary>
    [Fact]
    public async Task Requeued_jobs_read_back_as_from_the_real_slurmdbd() =>
        await RunsLikeTheRealSlurmdbdAsync("requeued-jobs");

    /// <summary>
    /// TrackWCKey=yes on both sides (Fixtures/Scripts/wckey-jobs.sh): jobs without a wckey get "*" (the user's
    /// default, here the blank wckey, which is created with it), jobs with one get theirs, created for the user
    /// on the cluster at the job's start, as the real slurmdbd 22.05.8 did (RealOutput/wckey-jobs.txt).
    /// </summary>
    [Fact]
    public async Task Tracked_wckeys_of_jobs_read_back_as_from_the_real_slurmdbd() =>
        await RunsLikeTheRealSlurmdbdAsync("wckey-jobs");

    private async Task RunsLikeTheRealSlurmdbdAsync(string name)
    {
        string fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        string[] expected = await File.ReadAllLinesAsync(Path.Combine(fixtures, "RealOutput", $"{name}.txt"));
        string script = Path.Combine(fixtures, "Scripts", $"{name}.sh");
        // The script's "# slurm.conf: KEY=VALUE" and "# slurmdbd.conf: KEY=VALUE" lines, as the recorder adds them.
        string[] lines = await File.ReadAllLinesAsync(script);
        string ConfLines(string file) => string.Join("\n", lines.Where(line => line.StartsWith($"# {file}: ")).Select(line => line[$"# {file}: ".Length..]));
        await using var daemon = await RunningDaemon.StartAsync(services, extraConf: ConfLines("slurmdbd.conf"));
        await using var cluster = await RealSlurmCluster.StartAsync(daemon, services, ConfLines("slurm.conf"));
        try
        {
            string jobs = Path.Combine(cluster.WorkDirectory, "jobs");
            Directory.CreateDirectory(jobs);
            // The minimal environment the recording used: sbatch sends its whole environment to slurmctld.
            var result = await ProcessRunner.RunAsync("/usr/bin/env",
                ["-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "TZ=", $"SLURM_CONF={cluster.SlurmConf}", $"HOME={jobs}",
                 "/bin/bash", script, jobs],
                timeout: TimeSpan.FromMinutes(4));
            Assert.True(result.ExitCode == 0, result.Combined);
            string[] actual = result.StandardOutput.TrimEnd('\n').Split('\n');
            var differences = Enumerable.Range(0, Math.Max(expected.Length, actual.Length))
                .Where(i => i >= expected.Length || i >= actual.Length || expected[i] != actual[i])
                .Select(i => $"line {i + 1}\n  real: {(i < expected.Length ? expected[i] : "(none)")}\n  ours: {(i < actual.Length ? actual[i] : "(none)")}")
                .ToList();
            Assert.True(differences.Count == 0, $"{differences.Count} lines differ:\n{string.Join("\n", differences.Take(40))}");
        }
        catch
        {
            output.WriteLine(cluster.Logs());
            output.WriteLine(daemon.Log());
            throw;
        }
    }
}
