namespace Accounting.Dbd.Configuration;

/// <summary>
/// slurmdbd.conf cannot be used: where slurmdbd would call fatal(), we throw this.
/// The message has the form <c>file:line: reason</c> and never contains StoragePass.
/// </summary>
public sealed class ConfigException(string message) : Exception(message);
