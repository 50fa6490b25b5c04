namespace Accounting.Dbd.Spool;

/// <summary>
/// Where controller records wait while no database is writable, and how much of them: our own
/// StorageParameters keys SPOOL_DIR and SPOOL_MAX_MB (README).
/// </summary>
public sealed record SpoolOptions(string Directory, long LimitBytes)
{
    public const string DefaultDirectory = "/var/spool/slurmdbd-net";
    public const long DefaultLimitMegabytes = 1024;

    public static SpoolOptions From(IReadOnlyDictionary<string, string> storageParameters) => new(
        storageParameters.GetValueOrDefault("SPOOL_DIR") is { Length: > 0 } directory ? directory : DefaultDirectory,
        (long.TryParse(storageParameters.GetValueOrDefault("SPOOL_MAX_MB"), out long megabytes) && megabytes > 0
            ? megabytes : DefaultLimitMegabytes) * 1024 * 1024);
}
