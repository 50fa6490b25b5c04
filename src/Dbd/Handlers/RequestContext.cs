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

    /// <summary>
    /// Set when a spooled record is replayed: the db_index values its job starts were answered with, one per
    /// job start in message order (0 where the controller already knew the index).
    /// </summary>
    public Queue<ulong>? SpooledDbIndexes { get; init; }

    /// <summary>The db_index a replayed job start was answered with, 0 when none (a live request).</summary>
    public ulong TakeSpooledDbIndex() => SpooledDbIndexes is { Count: > 0 } queue ? queue.Dequeue() : 0;
}
