namespace Accounting.Dbd.Spool;

/// <summary>
/// A controller message accepted while no database could take it: the persist-format bytes exactly as
/// they arrived (u16 type + body), with what is needed to process it later as if it came now — the
/// connection's cluster, uid, protocol version and peer address (DBD_REGISTER_CTLD records it as the
/// control host), when it arrived, and the db_index values its job starts were answered with (one per
/// job start in message order, 0 where the controller already knew the job's index).
/// </summary>
public sealed record SpoolRecord(long Sequence, long ArrivalTime, string ClusterName, uint Uid, ushort ProtocolVersion, byte[] Message)
{
    public string Peer { get; init; } = "";
    public IReadOnlyList<ulong> DbIndexes { get; init; } = [];
}
