using Accounting.Model.Records;

namespace Accounting.Dbd.Handlers;

/// <summary>What the daemon-level requests (config, reconfigure, shutdown) act on.</summary>
public interface IDaemonControl
{
    /// <summary>slurmdbd.conf as DBD_GOT_CONFIG shows it (dump_config).</summary>
    List<ConfigKeyPair> ConfigDump();

    /// <summary>Re-reads slurmdbd.conf; returns null on success, else why it was not applied.</summary>
    string? Reconfigure();

    void Shutdown();
}
