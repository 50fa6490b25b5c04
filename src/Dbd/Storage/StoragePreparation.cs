namespace Accounting.Dbd.Storage;

/// <summary>
/// Migrations and first-start rows (<see cref="StorageStartup"/>), run before the daemon listens, or, when a
/// daemon with a spool starts while its database is away, by the replayer before it stores anything.
/// </summary>
public sealed class StoragePreparation(StorageStartup startup, IReadOnlyList<string> defaultQosNames)
{
    private volatile bool _prepared;

    public bool Prepared => _prepared;

    public void Run()
    {
        startup.Run(defaultQosNames);
        _prepared = true;
    }
}
