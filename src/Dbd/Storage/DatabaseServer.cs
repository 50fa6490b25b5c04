namespace Accounting.Dbd.Storage;

/// <summary>
/// One database server the daemon may use: StorageHost (the primary) or StorageBackupHost. Both share
/// StoragePort, as in slurmdbd; ours: a name written "host:port" carries its own port, so that a replica
/// may run on the same machine as its primary (README, Failover).
/// </summary>
public sealed record DatabaseServer(string Role, string Host, uint Port)
{
    public const string PrimaryRole = "primary";
    public const string BackupRole = "backup";

    public static DatabaseServer Parse(string role, string name, uint storagePort)
    {
        int colon = name.LastIndexOf(':');
        if (colon > 0 && name.IndexOf(':') == colon && uint.TryParse(name[(colon + 1)..], out uint port) && port is > 0 and <= 65535)
            return new DatabaseServer(role, name[..colon], port);
        return new DatabaseServer(role, name, storagePort);
    }

    public bool IsPrimary => Role == PrimaryRole;

    public override string ToString() => $"{Role} {Host}:{Port}";
}
