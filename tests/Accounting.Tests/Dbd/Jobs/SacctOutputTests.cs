using Accounting.Tests.Support;

namespace Accounting.Tests.Dbd.Jobs;

/// <summary>
/// The real sacct against our daemon, with the captured jobs stored: it prints what it printed against
/// the real slurmdbd (shared/anchor/transcript.md, sacct sections; sacct_all/sacct-output.txt).
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class SacctOutputTests(SharedServices services)
{
    private const string Header = """
        JobID           JobName  Partition    Account  AllocCPUS      State ExitCode 
        ------------ ---------- ---------- ---------- ---------- ---------- -------- 
        """;

    private async Task<string> SacctAsync(params string[] arguments)
    {
        await using var daemon = await RunningDaemon.StartAsync(services);
        await CapturedJobs.PrepareAsync(daemon, services, munge: true);
        var result = await ProcessRunner.RunAsync("sacct", arguments, new Dictionary<string, string> { ["SLURM_CONF"] = daemon.SlurmConf });
        Assert.True(result.ExitCode == 0, result.Combined);
        return result.StandardOutput;
    }

    private static string Lines(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n') + "\n";

    [Fact]
    public async Task Sacct_X_over_a_range_lists_the_four_jobs()
    {
        Assert.Equal(Lines("""
            JobID|JobName|Partition|Account|AllocCPUS|State|ExitCode
            67108865|wrap|debug|root|1|COMPLETED|0:0
            67108866|wrap|debug|root|1|FAILED|3:0
            67108867|hostname|debug|root|1|COMPLETED|0:0
            67108868|wrap|debug|root|1|COMPLETED|0:0
            """), await SacctAsync("-a", "-X", "-S", "2020-01-01", "-P"));
    }

    [Fact]
    public async Task Sacct_with_every_field_prints_jobs_steps_and_statistics_as_the_real_daemon()
    {
        string expected = await File.ReadAllTextAsync(Path.Combine(CapturedConversation.VectorsDirectory, "sacct_all", "sacct-output.txt"));
        Assert.Equal(Lines(expected), await SacctAsync("-a", "--parsable2", "-o", "ALL", "-S", "2020-01-01"));
    }

    /// <summary>
    /// With -s the end defaults to the start (slurmdb_job_cond_def_start_end, records spec §8.5), so
    /// "-s F -S 2020-01-01" asks for jobs that failed in the first second of 2020: none.
    /// </summary>
    [Fact]
    public async Task Sacct_state_failed_with_only_a_start_asks_for_that_second_alone()
    {
        Assert.Equal(Lines(Header), await SacctAsync("-a", "-s", "F", "-S", "2020-01-01"));
    }

    [Fact]
    public async Task Sacct_state_failed_over_a_range_shows_the_failed_job_and_its_batch_step()
    {
        Assert.Equal(Lines(Header + "\n" + """
            67108866           wrap      debug       root          1     FAILED      3:0 
            67108866.ba+      batch                  root          1     FAILED      3:0 
            """), await SacctAsync("-a", "-s", "F", "-S", "2020-01-01", "-E", "now"));
    }

    [Fact]
    public async Task Sacct_j_shows_one_job_and_its_step()
    {
        Assert.Equal(Lines(Header + "\n" + """
            67108867       hostname      debug       root          1  COMPLETED      0:0 
            67108867.0     hostname                  root          1  COMPLETED      0:0 
            """), await SacctAsync("-j", "67108867"));
    }
}
