using System.Net;
using Accounting.Dbd.Configuration;
using Accounting.Dbd.Hosting;
using Accounting.Dbd.Rollup;
using Accounting.Dbd.Server;
using Accounting.Dbd.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MySql.Data.MySqlClient;

namespace Accounting.Tests.Support;

/// <summary>
/// Our daemon, in this process, reading a real slurmdbd.conf that points at the shared MariaDB (a new
/// database each time) and munged, plus a slurm.conf with which the real Slurm clients reach it.
/// </summary>
public sealed class RunningDaemon : IAsyncDisposable
{
    private readonly TemporaryDirectory _directory;
    private readonly SlurmStyleLoggerProvider _logs;
    private readonly IHost _host;

    private RunningDaemon(TemporaryDirectory directory, SlurmStyleLoggerProvider logs, IHost host, IPEndPoint endPoint,
        string database, string authType, SharedServices services)
    {
        _directory = directory;
        _logs = logs;
        _host = host;
        EndPoint = endPoint;
        Database = database;
        SlurmConf = directory.File("slurm.conf");
        File.WriteAllText(SlurmConf, ClientSlurmConf(authType, endPoint.Port, services.Munge.Socket, directory.Path));
    }

    public IPEndPoint EndPoint { get; }
    public string Database { get; }
    public string SlurmConf { get; }
    public string LogFile => _directory.File("slurmdbd.log");
    public IServiceProvider Services => _host.Services;

    /// <param name="database">an existing daemon's database, for a second daemon on it; a new one by default</param>
    /// <param name="spoolDirectory">a spool that outlives the daemon, for a daemon restarted on it; its own by default</param>
    public static async Task<RunningDaemon> StartAsync(SharedServices services, string authType = "auth/munge", string extraConf = "",
        string? database = null, string? spoolDirectory = null)
    {
        var directory = new TemporaryDirectory("dbd");
        database ??= services.MariaDb.NewDatabaseName();
        string confPath = directory.File("slurmdbd.conf");
        await File.WriteAllTextAsync(confPath, $"""
            AuthType={authType}
            AuthInfo=socket={services.Munge.Socket}
            DbdHost=localhost
            DbdAddr=127.0.0.1
            DbdPort={FreePort.Next()}
            SlurmUser=root
            DebugLevel=debug
            LogFile={directory.File("slurmdbd.log")}
            PidFile={directory.File("slurmdbd.pid")}
            StorageType=accounting_storage/mysql
            StorageHost=127.0.0.1
            StoragePort={services.MariaDb.Port}
            StorageUser={MariaDbServer.User}
            StoragePass={MariaDbServer.Password}
            StorageLoc={database}
            MessageTimeout=5
            {WithSpoolDirectory(extraConf, spoolDirectory ?? directory.File("spool"))}
            """);
        var config = SlurmdbdConfParser.Parse(confPath).Config;
        var logs = new SlurmStyleLoggerProvider(config.LogFile) { MinimumLevel = LogLevels.From(config.DebugLevel) };
        var host = DaemonComposition.Build(config, confPath, logs);
        DaemonComposition.PrepareStorage(host, config);
        await host.StartAsync();
        var endPoint = await host.Services.GetRequiredService<DbdListener>().Bound.WaitAsync(TimeSpan.FromSeconds(10));
        await StartupRollupAsync(host.Services.GetRequiredService<RollupStatistics>());
        return new RunningDaemon(directory, logs, host, endPoint, database, authType, services);
    }

    /// <summary>
    /// Each daemon spools into its own directory (the default one is shared by the whole machine): SPOOL_DIR
    /// joins the StorageParameters a test gives, or is the only one.
    /// </summary>
    public static string WithSpoolDirectory(string conf, string spoolDirectory)
    {
        var lines = conf.Split('\n').ToList();
        int parameters = lines.FindIndex(line => line.StartsWith("StorageParameters=", StringComparison.OrdinalIgnoreCase));
        if (parameters < 0)
            lines.Add($"StorageParameters=SPOOL_DIR={spoolDirectory}");
        else
            lines[parameters] = $"{lines[parameters].TrimEnd()},SPOOL_DIR={spoolDirectory}";
        return string.Join('\n', lines);
    }

    /// <summary>
    /// The start-up rollup pass, which slurmdbd has also made by the time a client asks (its "Internal DBD
    /// rollup" statistics); waiting for it keeps it from running in the middle of a test's setup.
    /// </summary>
    private static async Task StartupRollupAsync(RollupStatistics statistics)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (statistics.Snapshot().Dbd.Periods[(int)RollupTrigger.Scheduled].Count == 0)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the daemon made no start-up rollup");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// What a client host needs to reach us: the anchor stack's slurm.conf, pointed at our port. Clients
    /// create credentials on the socket named by AccountingStoragePass (anchor README, pitfall 3).
    /// </summary>
    private static string ClientSlurmConf(string authType, int port, string mungeSocket, string directory) => $"""
        ClusterName=alpha
        SlurmctldHost=localhost
        SlurmUser=root
        AuthType={authType}
        AuthInfo=socket={mungeSocket}
        AccountingStoragePass={mungeSocket}
        CredType={(authType == "auth/none" ? "cred/none" : "cred/munge")}
        AccountingStorageType=accounting_storage/slurmdbd
        AccountingStorageHost=127.0.0.1
        AccountingStoragePort={port}
        StateSaveLocation={directory}
        SlurmdSpoolDir={directory}
        ProctrackType=proctrack/linuxproc
        TaskPlugin=task/none
        MpiDefault=none
        SwitchType=switch/none
        SelectType=select/cons_tres
        NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 State=UNKNOWN
        PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
        """;

    /// <summary>
    /// Runs the real sacctmgr with its standard error joined to standard output in one pipe, as the
    /// real-output fixtures were recorded (2>&amp;1), so buffering orders the lines the same way.
    /// </summary>
    public Task<ProcessResult> SacctmgrAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("/bin/sh", ["-c", "exec sacctmgr \"$@\" 2>&1", "sacctmgr", .. arguments],
            new Dictionary<string, string> { ["SLURM_CONF"] = SlurmConf });

    /// <summary>The real sreport, standard error joined to standard output as the fixtures were recorded.</summary>
    public Task<ProcessResult> SreportAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("/bin/sh", ["-c", "exec sreport \"$@\" 2>&1", "sreport", .. arguments],
            new Dictionary<string, string> { ["SLURM_CONF"] = SlurmConf });

    /// <summary>The same as the unprivileged user nobody (with auth/none the daemon takes its uid, 65534).</summary>
    public Task<ProcessResult> SacctmgrAsNobodyAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("runuser", ["-u", "nobody", "--", "env", $"SLURM_CONF={SlurmConf}", "/bin/sh", "-c",
            "exec sacctmgr \"$@\" 2>&1", "sacctmgr", .. arguments]);

    public string Log() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(10));
        // Each daemon has its own database and so its own connection pools; idle pooled connections would
        // outlive it and, summed over the suite, exceed the shared MariaDB's max_connections.
        _host.Services.GetRequiredService<DatabaseLocator>().ClearPools();
        _host.Dispose();
        _logs.Dispose();
        _directory.Dispose();
    }
}
