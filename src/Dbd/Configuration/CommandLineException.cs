namespace Accounting.Dbd.Configuration;

/// <summary>The command line is not one slurmdbd accepts; the message ends with the usage text, as slurmdbd prints it.</summary>
public sealed class CommandLineException(string reason)
    : Exception($"slurmdbd: {reason}{Environment.NewLine}{CommandLine.UsageText}");
