using System.Diagnostics;
using Accounting.Dbd.Configuration;
using Accounting.Dbd.Hosting;
using Accounting.Dbd.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        DaemonOptions options;
        try
        {
            options = CommandLine.Parse(args);
        }
        catch (CommandLineException exception)
        {
            Console.Error.WriteLine(exception.Message);
            Console.Error.WriteLine(CommandLine.UsageText);
            return 1;
        }
        if (options.ShowHelp)
        {
            Console.WriteLine(CommandLine.UsageText);
            return 0;
        }
        if (options.ShowVersion)
        {
            Console.WriteLine(VersionText);
            return 0;
        }
        foreach (string warning in options.Warnings)
            Console.Error.WriteLine($"slurmdbd: warning: {warning}");

        ParseResult parsed;
        try
        {
            parsed = SlurmdbdConfParser.Parse(options.ConfigFile);
        }
        catch (Exception exception) when (exception is ConfigException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"slurmdbd: fatal: {exception.Message}");
            return 1;
        }

        if (!options.Foreground && !options.MigrateOnly)
            return Daemonize(args);

        var config = parsed.Config;
        using var logs = new SlurmStyleLoggerProvider(options.Foreground && config.LogFile is null ? null : config.LogFile)
        {
            MinimumLevel = LogLevels.From(options.EffectiveDebugLevel(config.DebugLevel)),
        };
        IHost host;
        try
        {
            host = DaemonComposition.Build(config, options.ConfigFile, logs);
        }
        catch (ConfigException exception)
        {
            Console.Error.WriteLine($"slurmdbd: fatal: {exception.Message}");
            return 1;
        }
        using var disposeHost = host;
        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("slurmdbd");
        foreach (string warning in parsed.Warnings)
            log.LogWarning("{Warning}", warning);
        try
        {
            DaemonComposition.PrepareStorage(host, config);
        }
        catch (StorageUnavailableException exception) when (!options.MigrateOnly && CanStartWithoutDatabase(host, log))
        {
            log.LogError("{Reason}; starting anyway: controller records are spooled until the database is back", exception.Message);
        }
        catch (Exception exception) when (exception is MigrationException or StorageUnavailableException)
        {
            log.LogCritical("{Reason}", exception.Message);
            return 1;
        }
        if (options.MigrateOnly)
            return 0;
        try
        {
            DaemonComposition.OpenSpool(host);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            log.LogCritical("cannot use the spool: {Reason}", exception.Message);
            return 1;
        }

        using var pidFile = PidFile.Write(config.PidFile, log);
        await host.RunAsync().ConfigureAwait(false);
        return 0;
    }

    private static bool CanStartWithoutDatabase(IHost host, ILogger log)
    {
        try
        {
            return DaemonComposition.CanStartWithoutDatabase(host);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            log.LogCritical("cannot use the spool: {Reason}", exception.Message);
            return false;
        }
    }

    private static string VersionText => $"slurmdbd-net {typeof(Program).Assembly.GetName().Version} (protocol of slurm 22.05.8)";

    /// <summary>
    /// Without -D slurmdbd detaches. .NET cannot fork, so we start ourselves again in a new session with
    /// -D and return; the child writes the pid file.
    /// </summary>
    private static int Daemonize(string[] args)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("setsid \"$@\" </dev/null >/dev/null 2>&1 &");
        start.ArgumentList.Add("slurmdbd");
        start.ArgumentList.Add(Environment.ProcessPath!);
        if (Path.GetFileName(Environment.ProcessPath!) == "dotnet")
            start.ArgumentList.Add(typeof(Program).Assembly.Location);
        start.ArgumentList.Add("-D");
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        using var shell = Process.Start(start);
        shell?.WaitForExit();
        return shell?.ExitCode ?? 1;
    }
}
