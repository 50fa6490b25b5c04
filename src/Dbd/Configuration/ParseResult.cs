namespace Accounting.Dbd.Configuration;

/// <summary>The parsed configuration and what slurmdbd would have logged about it without stopping.</summary>
public sealed record ParseResult(DbdConfig Config, IReadOnlyList<string> Warnings);
