using Accounting.Tests.Dbd.Jobs;
using Accounting.Tests.Support;

namespace Accounting.Tests.EndToEnd;

/// <summary>
/// The real sacctmgr and sacct: `sacctmgr archive dump` writes the old jobs and steps to archive files
/// and removes them, `sacctmgr archive load` puts them back, and sacct prints what it printed before;
/// files the real slurmdbd wrote load the same way. sacctmgr prints what it printed against the real
/// slurmdbd (Fixtures/RealArchive).
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class ArchiveDumpLoadTests(SharedServices services)
{
    private static readonly long January2025 = new DateTimeOffset(2025, 1, 10, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    private static readonly string[] ArchiveNames =
    [
        "alpha_job_table_archive_2025-01-01T00:00:00_2025-02-01T00:00:00",
        "alpha_step_table_archive_2025-01-01T00:00:00_2025-02-01T00:00:00",
    ];

    public static string RealArchive(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "RealArchive", name);

    private static string RealOutput(string name) => File.ReadAllText(RealArchive($"sacctmgr-{name}.txt"));

    /// <summary>Output and exit code the way the fixtures were written.</summary>
    private static string Transcript(ProcessResult result) => $"{result.StandardOutput}rc={result.ExitCode}\n";

    private static async Task<string> SacctAsync(RunningDaemon daemon)
    {
        var result = await ProcessRunner.RunAsync("sacct", ["-a", "--parsable2", "-o", "ALL", "-S", "2024-01-01", "-E", "now"],
            new Dictionary<string, string> { ["SLURM_CONF"] = daemon.SlurmConf });
        Assert.True(result.ExitCode == 0, result.Combined);
        return result.StandardOutput;
    }

    private static async Task<RunningDaemon> DaemonAsync(SharedServices services, bool withOldJobs)
    {
        var daemon = await RunningDaemon.StartAsync(services);
        await CapturedJobs.PrepareAsync(daemon, services, munge: true, withJobs: false);
        if (!withOldJobs)
            return daemon;
        using var connection = JobTableRows.Open(services, daemon.Database);
        uint alpha = JobTableRows.ClusterId(connection, "alpha");
        foreach (var job in CapturedJobs.MovedTo(January2025))
            JobTableRows.Insert(connection, alpha, job);
        return daemon;
    }

    [Fact]
    public async Task Archive_dump_removes_old_jobs_into_files_and_archive_load_brings_them_back_for_sacct()
    {
        await using var daemon = await DaemonAsync(services, withOldJobs: true);
        using var directory = new TemporaryDirectory("archive");
        string before = await SacctAsync(daemon);
        Assert.Equal(File.ReadAllText(RealArchive("sacct-after-load.txt")), before);

        var dump = await daemon.SacctmgrAsync("-i", "archive", "dump", $"Directory={directory.Path}",
            "PurgeJobAfter=1months", "PurgeStepAfter=1months", "Jobs", "Steps");
        Assert.Equal(RealOutput("dump"), Transcript(dump));
        Assert.Equal(ArchiveNames, Directory.GetFiles(directory.Path).Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal));
        string header = before[..(before.IndexOf('\n') + 1)];
        Assert.Equal(header, await SacctAsync(daemon));

        foreach (string name in ArchiveNames)
            Assert.Equal(RealOutput("load"), Transcript(await daemon.SacctmgrAsync("-i", "archive", "load", $"File={Path.Combine(directory.Path, name)}")));
        Assert.Equal(before, await SacctAsync(daemon));

        // A second load of the same jobs collides with them: refused, as by the real slurmdbd.
        Assert.Equal(RealOutput("load-duplicate"),
            Transcript(await daemon.SacctmgrAsync("-i", "archive", "load", $"File={Path.Combine(directory.Path, ArchiveNames[0])}")));
        Assert.Equal(before, await SacctAsync(daemon));
    }

    [Fact]
    public async Task Archive_files_the_real_slurmdbd_wrote_load_and_sacct_prints_what_it_printed_there()
    {
        await using var daemon = await DaemonAsync(services, withOldJobs: false);
        foreach (string name in ArchiveNames)
            Assert.Equal(RealOutput("load"), Transcript(await daemon.SacctmgrAsync("-i", "archive", "load", $"File={RealArchive(name)}")));
        Assert.Equal(File.ReadAllText(RealArchive("sacct-after-load.txt")), await SacctAsync(daemon));
    }

    [Fact]
    public async Task Archive_load_of_a_missing_file_names_the_errno_and_the_host_note()
    {
        await using var daemon = await RunningDaemon.StartAsync(services);
        Assert.Equal(RealOutput("load-missing"),
            Transcript(await daemon.SacctmgrAsync("-i", "archive", "load", "File=/nonexistent/alpha_job_table_archive")));
    }

    /// <summary>The real slurmdbd runs Insert= text starting "insert into " as SQL ("select 1" it read as a packed file, and failed); we never run client SQL.</summary>
    [Fact]
    public async Task Archive_load_with_insert_text_is_refused()
    {
        await using var daemon = await RunningDaemon.StartAsync(services);
        Assert.Equal(RealOutput("load-insert"), Transcript(await daemon.SacctmgrAsync("-i", "archive", "load", "insert=select 1")));
        Assert.Contains("Insert= SQL is not run", daemon.Log());
    }

    [Fact]
    public async Task Archive_dump_of_jobs_without_a_purge_period_is_an_error()
    {
        await using var daemon = await DaemonAsync(services, withOldJobs: true);
        string before = await SacctAsync(daemon);
        Assert.Equal(RealOutput("dump-nounit"), Transcript(await daemon.SacctmgrAsync("-i", "archive", "dump", "Jobs")));
        Assert.Equal(before, await SacctAsync(daemon));
    }

    [Fact]
    public async Task Archive_dump_and_load_are_refused_to_a_user_who_is_not_an_administrator()
    {
        await using var daemon = await DaemonAsync(services, withOldJobs: true);
        string before = await SacctAsync(daemon);
        Assert.Equal(RealOutput("nobody-dump"), Transcript(await daemon.SacctmgrAsNobodyAsync("-i", "archive", "dump", "PurgeJobAfter=1months", "Jobs")));
        Assert.Equal(before, await SacctAsync(daemon));
        Assert.Equal(RealOutput("nobody-load"), Transcript(await daemon.SacctmgrAsNobodyAsync("-i", "archive", "load", "File=/nonexistent")));
    }
}
