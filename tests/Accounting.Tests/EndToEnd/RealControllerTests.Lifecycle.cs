using System.Data;
using System.Diagnostics;
using Accounting.Tests.Support;
using Dapper;

namespace Accounting.Tests.EndToEnd;

public sealed partial class RealControllerTests
{
    /// <summary>
    /// A cancelled job, an array of ten tasks and a batch job with two srun steps run on the real cluster, and
    /// the real sacct reads them back from our daemon (records spec §8; wire spec §10.1 arrays): CANCELLED by
    /// root, ten COMPLETED tasks N_0..N_9 of one array, and the steps batch, 0 and 1.
    /// </summary>
    [Fact]
    public async Task Cancelled_array_and_multi_step_jobs_read_back_through_sacct()
    {
        var watch = Stopwatch.StartNew();
        await using var daemon = await RunningDaemon.StartAsync(services);
        await using var cluster = await RealSlurmCluster.StartAsync(daemon, services);
        try
        {
            uint cancelled = await cluster.SubmitAsync("sleep 60");
            await Eventually.TrueAsync(async () => (await cluster.RunAsync("/usr/bin/squeue", "-h", "-j", $"{cancelled}", "-o", "%T")).StandardOutput.Trim() == "RUNNING",
                "the job to cancel running");
            var scancel = await cluster.RunAsync("/usr/bin/scancel", $"{cancelled}");
            Assert.True(scancel.ExitCode == 0, scancel.Combined);
            uint array = await cluster.SubmitAsync("true", "--array=0-9");
            uint stepped = await cluster.SubmitAsync("srun true; srun true");

            await Eventually.TrueAsync(async () => (await cluster.RunAsync("/usr/bin/squeue", "-h")).StandardOutput.Trim().Length == 0, "squeue empty");
            using (var database = JobTableRows.Open(services, daemon.Database))
                await Eventually.TrueAsync(() => Task.FromResult(database.ExecuteScalar<long>(
                    "SELECT COUNT(*) FROM job WHERE time_end > 0 AND `partition` = 'debug'") == 12), "twelve finished jobs with their starts");
            await Eventually.TrueAsync(async () => RealSlurmCluster.AgentQueueSize((await cluster.RunAsync("/usr/bin/sdiag")).StandardOutput) == 0, "agent queue empty");
            output.WriteLine($"all stored after {watch.ElapsedMilliseconds} ms");

            var jobs = await SacctAsync(cluster, "-X", "-o", "JobID,JobName,State,ExitCode");
            string[] expectedJobs =
            [
                $"{cancelled}|wrap|CANCELLED by 0|0:0",
                .. Enumerable.Range(0, 10).Select(task => $"{array}_{task}|wrap|COMPLETED|0:0"),
                $"{stepped}|wrap|COMPLETED|0:0",
            ];
            Assert.Equal(expectedJobs.Order(), jobs.Order());

            var all = await SacctAsync(cluster, "-o", "JobID,State");
            Assert.Contains(KilledBatchStepState(all, cancelled), KilledBatchStates);
            Assert.Equal([$"{stepped}|COMPLETED", $"{stepped}.batch|COMPLETED", $"{stepped}.0|COMPLETED", $"{stepped}.1|COMPLETED"],
                all.Where(line => line.Split('|')[0].Split('.')[0] == $"{stepped}"));
            Assert.Equal(Enumerable.Range(0, 10).SelectMany(task => new[] { $"{array}_{task}|COMPLETED", $"{array}_{task}.batch|COMPLETED" }).Order(),
                all.Where(line => line.StartsWith($"{array}_")).Order());
        }
        catch
        {
            output.WriteLine(cluster.Logs());
            output.WriteLine(daemon.Log());
            throw;
        }
    }

    /// <summary>
    /// A running job whose time limit root lowers to 0 times out at slurmctld's next time-limit pass (every
    /// 30 s, PERIODIC_TIMEOUT) rather than after a whole minute: the limit update and the TIMEOUT completion
    /// reach our daemon and sacct shows the job TIMEOUT with its zero limit.
    /// </summary>
    [Fact]
    public async Task A_job_past_its_time_limit_reads_back_as_timeout()
    {
        await using var daemon = await RunningDaemon.StartAsync(services);
        await using var cluster = await RealSlurmCluster.StartAsync(daemon, services);
        try
        {
            uint job = await cluster.SubmitAsync("sleep 120");
            await Eventually.TrueAsync(async () => (await cluster.RunAsync("/usr/bin/squeue", "-h", "-j", $"{job}", "-o", "%T")).StandardOutput.Trim() == "RUNNING",
                "the job running");
            var update = await cluster.RunAsync("/usr/bin/scontrol", "update", $"JobId={job}", "TimeLimit=0");
            Assert.True(update.ExitCode == 0, update.Combined);
            using var database = JobTableRows.Open(services, daemon.Database);
            await Eventually.TrueAsync(() => Task.FromResult(database.ExecuteScalar<long>(
                "SELECT COUNT(*) FROM job WHERE time_end > 0 AND `partition` = 'debug'") == 1), "the job ended", TimeSpan.FromSeconds(45));
            await Eventually.TrueAsync(async () => RealSlurmCluster.AgentQueueSize((await cluster.RunAsync("/usr/bin/sdiag")).StandardOutput) == 0, "agent queue empty");

            Assert.Equal((job, 6u, 0u), database.QuerySingle<(uint, uint, uint)>("SELECT id_job, state, timelimit FROM job"));
            // sacct prints no Timelimit for a limit of 0 (only INFINITE, NO_VAL and non-zero minutes have a text).
            Assert.Equal([$"{job}|wrap|TIMEOUT|0:0|"], await SacctAsync(cluster, "-X", "-o", "JobID,JobName,State,ExitCode,Timelimit"));
            Assert.Contains(KilledBatchStepState(await SacctAsync(cluster, "-o", "JobID,State"), job), KilledBatchStates);
        }
        catch
        {
            output.WriteLine(cluster.Logs());
            output.WriteLine(daemon.Log());
            throw;
        }
    }

    /// <summary>
    /// slurmctld stopped by its PID and started again on the same state directory while our daemon runs: its
    /// closed connection clears the registration, the new one registers again, the job from before and the one
    /// after are each stored once with their steps, and nothing is duplicated by the recovery's resends.
    /// </summary>
    [Fact]
    public async Task A_restarted_controller_registers_again_and_later_jobs_are_stored_once()
    {
        await using var daemon = await RunningDaemon.StartAsync(services);
        await using var cluster = await RealSlurmCluster.StartAsync(daemon, services);
        try
        {
            using var database = JobTableRows.Open(services, daemon.Database);
            uint before = await cluster.SubmitAsync("true");
            await Eventually.TrueAsync(() => Task.FromResult(database.ExecuteScalar<long>(
                "SELECT COUNT(*) FROM job WHERE time_end > 0 AND `partition` = 'debug'") == 1), "the first job finished with its start");

            var restart = Stopwatch.StartNew();
            await cluster.StopControllerAsync();
            await Eventually.TrueAsync(() => Task.FromResult(Registration(database) == ("", 0u)), "registration cleared by the closed connection");
            await cluster.StartControllerAsync();
            output.WriteLine($"controller back after {restart.ElapsedMilliseconds} ms");
            await Eventually.TrueAsync(() => Task.FromResult(Registration(database) == ("127.0.0.1", (uint)cluster.ControllerPort)), "registered again");

            uint after = await cluster.SubmitAsync("srun true");
            Assert.True(after > before);
            await Eventually.TrueAsync(() => Task.FromResult(database.ExecuteScalar<long>(
                "SELECT COUNT(*) FROM job WHERE time_end > 0 AND `partition` = 'debug'") == 2), "the second job finished with its start");
            await Eventually.TrueAsync(async () => RealSlurmCluster.AgentQueueSize((await cluster.RunAsync("/usr/bin/sdiag")).StandardOutput) == 0, "agent queue empty");

            Assert.Equal([(before, 3u), (after, 3u)], database.Query<(uint, uint)>("SELECT id_job, state FROM job ORDER BY id_job"));
            Assert.Equal(0, database.ExecuteScalar<long>(
                "SELECT COUNT(*) FROM (SELECT 1 FROM step GROUP BY job_db_inx, id_step, step_het_comp HAVING COUNT(*) > 1) d"));
            Assert.Equal([$"{before}|COMPLETED", $"{before}.batch|COMPLETED", $"{after}|COMPLETED", $"{after}.batch|COMPLETED", $"{after}.0|COMPLETED"],
                await SacctAsync(cluster, "-o", "JobID,State"));
            // One cluster event opened by the first registration, none added by the second: the TRES did not change.
            Assert.Equal(1, database.ExecuteScalar<long>("SELECT COUNT(*) FROM event WHERE node_name = ''"));
        }
        catch
        {
            output.WriteLine(cluster.Logs());
            output.WriteLine(daemon.Log());
            throw;
        }
    }

    /// <summary>
    /// A killed batch step ends as slurmstepd saw the script go: by the signal (CANCELLED), or as the shell
    /// exiting 143 after its child was killed (FAILED); which one is a race inside the real node.
    /// </summary>
    private static readonly string[] KilledBatchStates = ["CANCELLED", "FAILED"];

    private static string KilledBatchStepState(List<string> sacctLines, uint job) =>
        sacctLines.Single(line => line.StartsWith($"{job}.batch|")).Split('|')[1];

    private static (string Host, uint Port) Registration(IDbConnection database) =>
        database.QuerySingle<(string, uint)>("SELECT control_host, control_port FROM cluster WHERE name = 'alpha'");

    private static async Task<List<string>> SacctAsync(RealSlurmCluster cluster, params string[] options)
    {
        var result = await cluster.RunAsync("/usr/bin/sacct", ["-a", "-n", "-P", .. options]);
        Assert.True(result.ExitCode == 0, result.Combined);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
