namespace Accounting.Dbd.Storage;

/// <summary>
/// The database could not be reached, or did not answer in time. Handlers turn it into
/// ESLURM_DB_CONNECTION (7000), as slurmdbd answers while its database is away.
/// </summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
