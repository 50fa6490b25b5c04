namespace Accounting.Dbd.Configuration;

/// <summary>What slurmdbd's command line asked for (slurmdbd.c, _parse_commandline), plus our own options.</summary>
public sealed record DaemonOptions
{
    /// <summary>-D: stay in the foreground and log to stderr as well.</summary>
    public bool Foreground { get; init; }

    /// <summary>-f PATH (ours), else slurmdbd.conf next to $SLURM_CONF or the default slurm.conf.</summary>
    public required string ConfigFile { get; init; }

    /// <summary>How many -v were given; each raises the log level one step above info.</summary>
    public int Verbosity { get; init; }

    /// <summary>-n VALUE: the nice value to run at; 0 leaves it unchanged.</summary>
    public int Nice { get; init; }

    /// <summary>-R: rebuild the lft/rgt values of the association tree, then carry on.</summary>
    public bool ResetLftRgt { get; init; }

    /// <summary>-R's cluster list, lower-cased; empty means every cluster.</summary>
    public IReadOnlyList<string> ResetLftRgtClusters { get; init; } = [];

    /// <summary>-s: change directory (to LogFile's directory or /var/tmp) even in the foreground.</summary>
    public bool ChangeWorkingDirectory { get; init; }

    /// <summary>-h: print <see cref="CommandLine.UsageText"/> and exit 0.</summary>
    public bool ShowHelp { get; init; }

    /// <summary>-V: print the version and exit 0.</summary>
    public bool ShowVersion { get; init; }

    /// <summary>--migrate-only (ours): bring the database schema up to date, then exit.</summary>
    public bool MigrateOnly { get; init; }

    /// <summary>What slurmdbd would log and then ignore, such as a -n value that is not a number.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// The log level to use: any -v replaces DebugLevel from slurmdbd.conf with info plus one step
    /// per -v (even when that is lower than the configured level), up to debug5.
    /// </summary>
    public SlurmLogLevel EffectiveDebugLevel(SlurmLogLevel configured) =>
        Verbosity == 0
            ? configured
            : (SlurmLogLevel)Math.Min((int)SlurmLogLevel.Info + Verbosity, (int)SlurmLogLevel.Debug5);
}
