using System.Globalization;

namespace Accounting.Dbd.Configuration;

/// <summary>
/// slurmdbd's command line: getopt("Dhn:R::svV") as in slurmdbd 22.05, plus -f PATH and
/// --migrate-only, which are ours. Short options may be bundled (-Dvvv) and an option's value may
/// be attached (-n-5) or follow as the next argument (-n -5); -R's optional list must be attached.
/// </summary>
public static class CommandLine
{
    public static readonly string UsageText = string.Join(Environment.NewLine,
        "Usage: slurmdbd [OPTIONS]",
        "  -D         \tRun daemon in foreground.",
        "  -f file    \tRead configuration from the specified file.",
        "  -h         \tPrint this help message.",
        "  -n value   \tRun the daemon at the specified nice value.",
        "  -R [Names] \tReset the lft and rgt values of the associations",
        "\t\tin the given cluster list.",
        "\t\tLft and rgt values are used to distinguish",
        "\t\thierarical groups in the slurm accounting database.",
        "\t\tThis option should be very rarely used.",
        "  -s         \tChange working directory to LogFile dirname or /var/tmp/.",
        "  -v         \tVerbose mode. Multiple -v's increase verbosity.",
        "  -V         \tPrint version information and exit.",
        "  --migrate-only\tApply database migrations and exit.",
        "");

    /// <summary>Parses <paramref name="args"/>, taking the default config file from $SLURM_CONF.</summary>
    /// <exception cref="CommandLineException">An unknown option, a missing value, or a stray argument.</exception>
    public static DaemonOptions Parse(string[] args) =>
        Parse(args, Environment.GetEnvironmentVariable("SLURM_CONF"));

    /// <param name="slurmConf">The value of $SLURM_CONF, or null when it is not set.</param>
    public static DaemonOptions Parse(IReadOnlyList<string> args, string? slurmConf)
    {
        var options = new DaemonOptions { ConfigFile = SlurmdbdConfLocation.FromSlurmConf(slurmConf) };
        var warnings = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--migrate-only")
            {
                options = options with { MigrateOnly = true };
                continue;
            }

            // slurmdbd never looks at operands, so "-R cluster" would silently reset every
            // cluster; we refuse them instead.
            if (arg == "--")
            {
                if (i + 1 < args.Count)
                    throw new CommandLineException($"unexpected argument '{args[i + 1]}'");
                break;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
                throw new CommandLineException($"unrecognized option '{arg}'");
            if (arg.Length < 2 || arg[0] != '-')
                throw new CommandLineException($"unexpected argument '{arg}'");

            for (int j = 1; j < arg.Length; j++)
            {
                char option = arg[j];
                string attached = arg[(j + 1)..];
                switch (option)
                {
                    case 'D':
                        options = options with { Foreground = true };
                        break;
                    case 'h':
                        // slurmdbd prints the usage and exits on the spot; later arguments are never read.
                        return options with { ShowHelp = true, Warnings = warnings };
                    case 'V':
                        return options with { ShowVersion = true, Warnings = warnings };
                    case 's':
                        options = options with { ChangeWorkingDirectory = true };
                        break;
                    case 'v':
                        options = options with { Verbosity = options.Verbosity + 1 };
                        break;
                    case 'f':
                        options = options with { ConfigFile = RequiredValue(args, ref i, attached, option) };
                        j = arg.Length;
                        break;
                    case 'n':
                        options = options with { Nice = NiceValue(RequiredValue(args, ref i, attached, option), warnings) };
                        j = arg.Length;
                        break;
                    case 'R':
                        options = options with { ResetLftRgt = true, ResetLftRgtClusters = ClusterList(attached) };
                        j = arg.Length;
                        break;
                    default:
                        throw new CommandLineException($"invalid option -- '{option}'");
                }
            }
        }

        return options with { Warnings = warnings };
    }

    private static string RequiredValue(IReadOnlyList<string> args, ref int index, string attached, char option)
    {
        if (attached.Length > 0)
            return attached;
        if (index + 1 >= args.Count)
            throw new CommandLineException($"option requires an argument -- '{option}'");
        return args[++index];
    }

    // strtol(value, &end, 10) with nothing left over; slurmdbd logs anything else and keeps its nice value.
    private static int NiceValue(string value, List<string> warnings)
    {
        string number = value.TrimStart(' ', '\t', '\n', '\v', '\f', '\r');
        if (number.Length == 0)
            return 0;
        if (int.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int nice))
            return nice;

        warnings.Add("Invalid option for -n option (nice value), ignored");
        return 0;
    }

    // slurm_addto_char_list: comma separated, quotes dropped, lower-cased, a repeated name kept once.
    private static string[] ClusterList(string list) =>
        list.Replace("\"", "").Replace("'", "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(name => name.ToLowerInvariant())
            .Distinct()
            .ToArray();
}
