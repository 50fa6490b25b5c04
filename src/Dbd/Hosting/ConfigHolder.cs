using Accounting.Dbd.Configuration;

namespace Accounting.Dbd.Hosting;

/// <summary>The configuration in force and where it came from; DBD_RECONFIG swaps it.</summary>
public sealed class ConfigHolder(DbdConfig config, string path, long bootTime)
{
    private DbdConfig _config = config;

    public DbdConfig Current => Volatile.Read(ref _config);
    public string Path { get; } = path;
    public long BootTime { get; } = bootTime;

    public void Replace(DbdConfig config) => Volatile.Write(ref _config, config);
}
