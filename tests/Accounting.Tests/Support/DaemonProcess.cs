using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Accounting.Tests.Support;

/// <summary>
/// Our daemon in a process of its own (`slurmdbd-net -D -f CONF`, as operators run it), so that a test can
/// SIGKILL it and start it again on the same configuration, port and spool directory.
/// </summary>
public sealed class DaemonProcess(string config, int port, string logFile) : IDisposable
{
    private static string DaemonAssembly => Path.Combine(AppContext.BaseDirectory, "slurmdbd-net.dll");

    private readonly System.Text.StringBuilder _output = new();
    private Process? _process;

    public int Port => port;

    /// <summary>
    /// A daemon kept in <paramref name="directory"/> (its slurmdbd.conf, slurmdbd.log, pid file and spool) on
    /// <paramref name="port"/> and the test's MariaDB, with storage timeouts short enough that a stopped
    /// database sends controller records to the spool at once. <paramref name="extraConf"/> holds the lines
    /// that differ between tests: at least the AuthType.
    /// </summary>
    public static DaemonProcess Spooling(TemporaryDirectory directory, int port, SharedServices services, string database, string extraConf)
    {
        string config = directory.File("slurmdbd.conf");
        File.WriteAllText(config, $"""
            {extraConf}
            DbdAddr=127.0.0.1
            DbdPort={port}
            SlurmUser=root
            DebugLevel=info
            LogFile={directory.File("slurmdbd.log")}
            PidFile={directory.File("slurmdbd.pid")}
            StorageHost=127.0.0.1
            StoragePort={services.MariaDb.Port}
            StorageUser={MariaDbServer.User}
            StoragePass={MariaDbServer.Password}
            StorageLoc={database}
            StorageParameters=CONNECT_TIMEOUT=2,COMMAND_TIMEOUT=5,SPOOL_DIR={SpoolDirectoryIn(directory)}
            """);
        return new DaemonProcess(config, port, directory.File("slurmdbd.log"));
    }

    /// <summary>The spool of a daemon made by <see cref="Spooling"/>.</summary>
    public static string SpoolDirectoryIn(TemporaryDirectory directory) => directory.File("spool");

    /// <summary>
    /// Bytes in the spool's segments, read from outside while the daemon holds the spool: they tell whether
    /// it has spooled more; replayed segments are deleted.
    /// </summary>
    public static long SpooledBytes(string spoolDirectory) =>
        Directory.Exists(spoolDirectory) ? Directory.GetFiles(spoolDirectory, "spool-*.log").Sum(f => new FileInfo(f).Length) : 0;

    /// <summary>Starts the daemon and waits until it accepts connections on its port.</summary>
    public async Task StartAsync()
    {
        _process?.Dispose();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { DaemonAssembly, "-D", "-f", config })
            start.ArgumentList.Add(argument);
        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the daemon");
        // Kept: a crash (an unhandled exception, an abort) is told on standard error, not in the log file.
        _process.OutputDataReceived += (_, line) => Keep(line.Data);
        _process.ErrorDataReceived += (_, line) => Keep(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(_process.HasExited, $"the daemon exited with {(_process.HasExited ? _process.ExitCode : 0)}:\n{Log()}\n--- its output\n{Output()}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>SIGKILL, by PID: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public Task KillAsync() => SignalAsync("KILL");

    /// <summary>SIGTERM: an orderly stop.</summary>
    public Task StopAsync() => SignalAsync("TERM");

    private async Task SignalAsync(string signal)
    {
        if (_process is not { HasExited: false })
            return;
        await ProcessRunner.RunCheckedAsync("/bin/kill", $"-{signal}", $"{_process.Id}");
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the daemon did not exit on SIG{signal} within 30 s:\n{Log()}\n--- its output\n{Output()}");
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    /// <summary>What all its runs wrote to standard output and error.</summary>
    public string Output()
    {
        lock (_output)
            return _output.ToString();
    }

    public string Log() => File.Exists(logFile) ? File.ReadAllText(logFile) : "";

    public void Dispose()
    {
        if (_process is { HasExited: false })
            _process.Kill();
        _process?.Dispose();
    }
}
