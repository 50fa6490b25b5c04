using System.Diagnostics;
using Accounting.Tests.Support;
using Xunit.Abstractions;

namespace Accounting.Tests.Dbd.Jobs;

/// <summary>
/// The 100,000-job answer (issue: large answers, records spec §8): the captured 40 MB reply is
/// reproduced byte for byte, and the daemon streams it without holding the jobs or several copies.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class LargeJobQueryTests(SharedServices services, ITestOutputHelper output)
{
    private const int JobCount = 100_000;
    private const long MemoryBudget = 300L << 20;

    private static string CaptureDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "LargeVectors", "sacct_100k");

    private async Task<RunningDaemon> StartWithSyntheticJobsAsync(string authType)
    {
        var daemon = await RunningDaemon.StartAsync(services, authType);
        await CapturedJobs.PrepareAsync(daemon, services, munge: authType == "auth/munge");
        using var connection = JobTableRows.Open(services, daemon.Database);
        JobTableRows.InsertSynthetic(connection, JobTableRows.ClusterId(connection, "alpha"), JobCount);
        return daemon;
    }

    [Fact]
    public async Task The_captured_100k_job_query_gets_the_captured_40_MB_reply()
    {
        await using var daemon = await StartWithSyntheticJobsAsync("auth/none");
        // conn1.idx.tsv: the job query is c2s message 1 at offset 234, 132 bytes; the reply is one frame.
        byte[] request = File.ReadAllBytes(Path.Combine(CaptureDirectory, "conn1.c2s.bin")).AsSpan(234 + 4, 132).ToArray();
        byte[] expected = (await DecompressAsync(Path.Combine(CaptureDirectory, "conn1.s2c.bin.xz")))[(18 + 4)..];

        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);
        var clock = Stopwatch.StartNew();
        await client.SendFrameAsync(request);
        var actual = await client.ReadFrameAsync(TimeSpan.FromSeconds(120)) ?? throw new IOException("no reply");
        output.WriteLine($"100,000 jobs, {actual.Length:N0} bytes through the wire in {clock.ElapsedMilliseconds} ms");

        Assert.Equal(expected.Length, actual.Length);
        int firstDifference = expected.AsSpan().CommonPrefixLength(actual);
        Assert.True(firstDifference == expected.Length, $"first difference at byte {firstDifference}");
    }

    /// <summary>
    /// The real sacct reads the answer in its own process, so what this process grows by is the daemon's
    /// share: the frame being written and the few records in flight, not 100,000 records.
    /// </summary>
    [Fact]
    public async Task A_100k_job_sacct_leaves_the_daemon_memory_growth_well_under_300_MB()
    {
        await using var daemon = await StartWithSyntheticJobsAsync("auth/munge");
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        long heapBefore = GC.GetTotalMemory(true), workingSetBefore = Environment.WorkingSet;
        long heapPeak = heapBefore, workingSetPeak = workingSetBefore;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(false));
                workingSetPeak = Math.Max(workingSetPeak, Environment.WorkingSet);
                await Task.Delay(5);
            }
        });

        var clock = Stopwatch.StartNew();
        var result = await ProcessRunner.RunAsync("/bin/sh",
            ["-c", "sacct -a -X -S 2025-01-01T00:00:00 -E 2026-01-01T00:00:00 -P | wc -l"],
            new Dictionary<string, string> { ["SLURM_CONF"] = daemon.SlurmConf }, TimeSpan.FromSeconds(120));
        clock.Stop();
        await done.CancelAsync();
        await sampler;

        output.WriteLine($"sacct of 100,000 jobs: {clock.ElapsedMilliseconds} ms; daemon process growth: managed heap peak "
            + $"+{(heapPeak - heapBefore) >> 20} MB, working set peak +{(workingSetPeak - workingSetBefore) >> 20} MB");
        Assert.Equal("100001", result.StandardOutput.Trim());
        Assert.InRange(heapPeak - heapBefore, 0, MemoryBudget / 2);
        Assert.InRange(workingSetPeak - workingSetBefore, 0, MemoryBudget / 2);
    }

    private static async Task<byte[]> DecompressAsync(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("xz", ["-dc", path]) { RedirectStandardOutput = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("cannot start xz");
        using var buffer = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(buffer);
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return buffer.ToArray();
    }
}
