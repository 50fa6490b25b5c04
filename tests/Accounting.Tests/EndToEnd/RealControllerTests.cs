using System.Diagnostics;
using Accounting.Tests.Support;
using Dapper;
using Xunit.Abstractions;

namespace Accounting.Tests.EndToEnd;

/// <summary>
/// A real slurmctld and slurmd account to our daemon (wire spec §11.3): registration, two batch jobs and an
/// srun job end up in the database with their steps and states, and the controller's queue drains. The
/// other parts of this class: cancelled, array, multi-step and timed-out jobs read back through sacct and a
/// controller restart (RealControllerTests.Lifecycle.cs), runaway jobs (RealControllerTests.Runaway.cs).
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed partial class RealControllerTests(SharedServices services, ITestOutputHelper output)
{
    [Fact]
    public async Task Jobs_of_a_real_controller_are_stored_with_their_steps_and_its_queue_drains()
    {
        var watch = Stopwatch.StartNew();
        await using var daemon = await RunningDaemon.StartAsync(services);
        await using var cluster = await RealSlurmCluster.StartAsync(daemon, services);
        output.WriteLine($"cluster up after {watch.ElapsedMilliseconds} ms");
        try
        {
            uint sleeper = await cluster.SubmitAsync("sleep 1");
            uint failing = await cluster.SubmitAsync("exit 3");
            var srun = await cluster.RunAsync("/usr/bin/srun", "-N1", "hostname");
            Assert.True(srun.ExitCode == 0, srun.Combined);

            await Eventually.TrueAsync(async () => (await cluster.RunAsync("/usr/bin/squeue", "-h")).StandardOutput.Trim().Length == 0, "squeue empty");
            using var database = services.MariaDb.Connect(daemon.Database);
            // Ends come through the agent queue, starts from the 5-second db-index thread, in either order: a row
            // made from an end has no partition until the job's own start record is merged into it.
            await Eventually.TrueAsync(() => Task.FromResult(database.ExecuteScalar<long>(
                "SELECT COUNT(*) FROM job WHERE time_end > 0 AND `partition` = 'debug'") == 3), "three finished jobs with their starts");
            await Eventually.TrueAsync(async () => RealSlurmCluster.AgentQueueSize((await cluster.RunAsync("/usr/bin/sdiag")).StandardOutput) == 0, "agent queue empty");
            output.WriteLine($"all stored after {watch.ElapsedMilliseconds} ms");

            var registration = database.QuerySingle<(string Host, uint Port)>(
                "SELECT control_host, control_port FROM cluster WHERE name = 'alpha'");
            Assert.Equal(("127.0.0.1", (uint)cluster.ControllerPort), registration);

            var jobs = database.Query<(uint Id, string Name, uint State, uint ExitCode)>(
                "SELECT id_job, job_name, state, exit_code FROM job ORDER BY id_job").ToList();
            uint srunJob = jobs.Single(j => j.Name == "hostname").Id;
            Assert.Equal([(sleeper, "wrap", 3u, 0u), (failing, "wrap", 5u, 768u), (srunJob, "hostname", 3u, 0u)], jobs);

            var steps = database.Query<(uint Job, int Step, uint State, int ExitCode)>("""
                SELECT j.id_job, s.id_step, s.state, s.exit_code FROM step s JOIN job j ON j.job_db_inx = s.job_db_inx
                WHERE s.time_end > 0 ORDER BY j.id_job, s.id_step
                """).ToList();
            Assert.Contains((sleeper, -5, 3u, 0), steps);
            Assert.Contains((failing, -5, 5u, 768), steps);
            Assert.Contains((srunJob, 0, 3u, 0), steps);

            // The open registration event, as `sacctmgr show event` reads it back through DBD_GET_EVENTS.
            var events = await cluster.RunAsync("/usr/bin/sacctmgr", "-n", "-P", "show", "event", "event=cluster", "format=cluster,clusternodes,end,tres");
            Assert.Equal("alpha|localhost|Unknown|billing=2,cpu=2,energy=0,fs/disk=0,mem=1000M,node=1,pages=0,vmem=0", events.StandardOutput.Trim());
        }
        catch
        {
            output.WriteLine(cluster.Logs());
            output.WriteLine(daemon.Log());
            throw;
        }
    }
}
