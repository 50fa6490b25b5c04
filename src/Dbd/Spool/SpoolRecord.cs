namespace Accounting.Dbd.Spool;

/// <summary>
/// A controller message accepted while no database could take it: the persist-format bytes exactly as
/// they arrived (u16 type + body), with what is needed to process it later as if it came now — the
/// connection's cluster, uid and protocol version, and when it arrived.
/// </summary>
public sealed record SpoolRecord(long Sequence, long ArrivalTime, string ClusterName, uint Uid, ushort ProtocolVersion, byte[] Message);
