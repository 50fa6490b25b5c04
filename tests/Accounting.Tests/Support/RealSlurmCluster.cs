using System.Diagnostics;

namespace Accounting.Tests.Support;

/// <summary>
/// A real slurmctld and slurmd (Debian's 22.05 packages) for cluster alpha with one node, on free 127.0.0.1
/// ports, with private state, spool and log directories, accounting to our <see cref="RunningDaemon"/>
/// (configuration as in the anchor's real-slurm-up.sh). Disposing ends exactly the two processes it
/// started, with whatever they spawned.
/// </summary>
public sealed partial class RealSlurmCluster : IAsyncDisposable
{
    private readonly TemporaryDirectory _directory;
    private readonly List<Process> _processes = [];

    private RealSlurmCluster(TemporaryDirectory directory, int controllerPort, int nodePort)
    {
        _directory = directory;
        ControllerPort = controllerPort;
        NodePort = nodePort;
        SlurmConf = directory.File("slurm.conf");
    }

    public int ControllerPort { get; }
    public int NodePort { get; }
    public string SlurmConf { get; }
    public string WorkDirectory => _directory.Path;
    public string ControllerLog => _directory.File("slurmctld.log");
    public string NodeLog => _directory.File("slurmd.log");

    /// <summary>
    /// Starts both daemons and waits until the node is idle, i.e. registered and schedulable;
    /// <paramref name="extraConf"/> lines are added to slurm.conf.
    /// </summary>
    public static Task<RealSlurmCluster> StartAsync(RunningDaemon daemon, SharedServices services, string extraConf = "") =>
        StartAsync(daemon.EndPoint.Port, services, extraConf);

    /// <summary>The same, accounting to whatever daemon listens on <paramref name="dbdPort"/> (one in a process of its own).</summary>
    public static async Task<RealSlurmCluster> StartAsync(int dbdPort, SharedServices services, string extraConf = "")
    {
        var directory = new TemporaryDirectory("ctld");
        var cluster = new RealSlurmCluster(directory, FreePort.Next(), FreePort.Next());
        try
        {
            Directory.CreateDirectory(directory.File("state"));
            Directory.CreateDirectory(directory.File("spool"));
            await File.WriteAllTextAsync(directory.File("plugstack.conf"), "");
            await File.WriteAllTextAsync(cluster.SlurmConf, cluster.Conf(dbdPort, services.Munge.Socket) + "\n" + extraConf);
            cluster.Launch("/usr/sbin/slurmctld", "-D");
            cluster.Launch("/usr/sbin/slurmd", "-D", "-N", "localhost");
            await cluster.WaitForIdleNodeAsync(TimeSpan.FromSeconds(30));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private string Conf(int dbdPort, string mungeSocket) => $"""
        ClusterName=alpha
        SlurmctldHost=localhost
        SlurmctldPort={ControllerPort}
        SlurmdPort={NodePort}
        SlurmUser=root
        SlurmdUser=root
        AuthType=auth/munge
        AuthInfo=socket={mungeSocket}
        AccountingStoragePass={mungeSocket}
        CredType=cred/munge
        CommunicationParameters=NoInAddrAny
        StateSaveLocation={_directory.File("state")}
        SlurmdSpoolDir={_directory.File("spool")}
        SlurmctldPidFile={_directory.File("slurmctld.pid")}
        SlurmdPidFile={_directory.File("slurmd.pid")}
        SlurmctldLogFile={ControllerLog}
        SlurmdLogFile={NodeLog}
        SlurmctldDebug=info
        SlurmdDebug=info
        ProctrackType=proctrack/linuxproc
        TaskPlugin=task/none
        JobAcctGatherType=jobacct_gather/linux
        JobAcctGatherFrequency=30
        JobCompType=jobcomp/none
        AccountingStorageType=accounting_storage/slurmdbd
        AccountingStorageHost=127.0.0.1
        AccountingStoragePort={dbdPort}
        MpiDefault=none
        SwitchType=switch/none
        SchedulerType=sched/backfill
        SelectType=select/cons_tres
        SelectTypeParameters=CR_Core
        ReturnToService=2
        PropagateResourceLimits=NONE
        MailProg=/bin/true
        PlugStackConfig={_directory.File("plugstack.conf")}
        NodeName=localhost NodeAddr=127.0.0.1 NodeHostname=localhost CPUs=2 Sockets=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=1000 State=UNKNOWN
        PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
        """;

    private void Launch(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory.Path,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["SLURM_CONF"] = SlurmConf;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        // Drained so that a chatty daemon never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
    }

    /// <summary>
    /// Stops slurmctld with SIGTERM to its own PID, so that it saves its state and closes its accounting
    /// connection as in an orderly restart; slurmd keeps running.
    /// </summary>
    public async Task StopControllerAsync()
    {
        var controller = _processes.Single(p => p.StartInfo.FileName == "/usr/sbin/slurmctld");
        await ProcessRunner.RunCheckedAsync("/bin/kill", "-TERM", controller.Id.ToString());
        await controller.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _processes.Remove(controller);
        controller.Dispose();
    }

    /// <summary>Starts slurmctld again on the same state directory and waits until the node is idle.</summary>
    public async Task StartControllerAsync()
    {
        Launch("/usr/sbin/slurmctld", "-D");
        await WaitForIdleNodeAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Runs a Slurm client command against this cluster (SLURM_CONF set), from its private directory.</summary>
    public Task<ProcessResult> RunAsync(string program, params string[] arguments) =>
        ProcessRunner.RunAsync(program, arguments, new Dictionary<string, string> { ["SLURM_CONF"] = SlurmConf }, TimeSpan.FromSeconds(30));

    private async Task WaitForIdleNodeAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        string state = "";
        while (deadline.Elapsed < timeout)
        {
            foreach (var process in _processes.Where(p => p.HasExited))
                throw new InvalidOperationException($"{process.StartInfo.FileName} exited with {process.ExitCode}: {Logs()}");
            var result = await RunAsync("/usr/bin/sinfo", "-h", "-o", "%T");
            state = result.StandardOutput.Trim();
            if (result.ExitCode == 0 && state == "idle")
                return;
            await Task.Delay(250);
        }
        throw new TimeoutException($"node not idle after {timeout} (state '{state}'): {Logs()}");
    }

    public string Logs() => string.Join("\n", new[] { ControllerLog, NodeLog }
        .Where(File.Exists).Select(path => $"--- {path}\n{File.ReadAllText(path)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                    process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
            {
                // Already gone, or stuck in the kernel; either way nothing more to do here.
            }
            process.Dispose();
        }
        _directory.Dispose();
    }
}
