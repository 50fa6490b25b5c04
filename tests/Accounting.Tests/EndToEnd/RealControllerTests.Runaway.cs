using Accounting.Model.Records;
using Accounting.Tests.Support;
using Dapper;

namespace Accounting.Tests.EndToEnd;

public sealed partial class RealControllerTests
{
    /// <summary>
    /// wire spec §9.11a: a row left open in the database that the controller does not know is listed by the
    /// real `sacctmgr -i show runawayjobs` (GET_JOBS_COND with RUNAWAY, then the controller's job list),
    /// fixed through DBD_FIX_RUNAWAY_JOB and committed, and sacct then shows it COMPLETED, ended at its start.
    /// </summary>
    [Fact]
    public async Task Sacctmgr_lists_a_runaway_job_and_fixes_it()
    {
        await using var daemon = await RunningDaemon.StartAsync(services);
        await using var cluster = await RealSlurmCluster.StartAsync(daemon, services);
        try
        {
            long submit = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600;
            using (var database = JobTableRows.Open(services, daemon.Database))
            {
                JobTableRows.Insert(database, JobTableRows.ClusterId(database, "alpha"), new JobRecord
                {
                    JobId = 4000, JobName = "lost", Partition = "debug", State = 1, Submit = submit, Eligible = submit,
                    Start = submit + 10, Nodes = "localhost", AllocNodes = 1, ReqCpus = 1, Timelimit = 60,
                });
            }

            var fix = await cluster.RunAsync("/usr/bin/sacctmgr", "-i", "show", "runawayjobs");
            output.WriteLine(fix.Combined);
            Assert.True(fix.ExitCode == 0, fix.Combined);
            string[] lines = fix.StandardOutput.Split('\n');
            Assert.Contains(lines, line => line.StartsWith("NOTE: Runaway jobs are jobs that don't exist in the controller"));
            string listed = Assert.Single(lines, line => line.TrimStart().StartsWith("4000 "));
            Assert.Equal(["4000", "lost", "debug", "alpha", "RUNNING", Local(submit), Local(submit + 10), "Unknown"],
                listed.Split(' ', StringSplitOptions.RemoveEmptyEntries));

            var again = await cluster.RunAsync("/usr/bin/sacctmgr", "-i", "show", "runawayjobs");
            Assert.Equal("Runaway Jobs: No runaway jobs found on cluster alpha", again.StandardOutput.Trim());
            var sacct = await cluster.RunAsync("/usr/bin/sacct", "-a", "-X", "-n", "-P", "-j", "4000", "-o", "JobID,State,Start,End");
            Assert.Equal($"4000|COMPLETED|{Local(submit + 10)}|{Local(submit + 10)}", sacct.StandardOutput.Trim());
        }
        catch
        {
            output.WriteLine(cluster.Logs());
            output.WriteLine(daemon.Log());
            throw;
        }
    }

    /// <summary>Slurm's default time format, in the local zone the clients run in.</summary>
    private static string Local(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToLocalTime().ToString("yyyy-MM-dd'T'HH:mm:ss");
}
