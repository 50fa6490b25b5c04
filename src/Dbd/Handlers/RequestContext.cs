using Accounting.Dbd.Storage;

namespace Accounting.Dbd.Handlers;

/// <summary>Everything a handler may use for one request; handlers never see bytes or sockets.</summary>
public sealed class RequestContext(ConnectionState connection, StorageSession storage)
{
    public ConnectionState Connection { get; } = connection;
    public StorageSession Storage { get; } = storage;

    /// <summary>Set by a handler when slurmdbd would close the connection once this reply is sent.</summary>
    public bool CloseAfterReply { get; set; }

    /// <summary>
    /// Set for the messages inside a DBD_SEND_MULT_MSG: controller writes then leave the commit to the batch,
    /// as slurmdbd commits once per RPC (wire spec §5.4, §8.4).
    /// </summary>
    public bool InsideBatch { get; init; }
}
