using System.Net;

namespace Accounting.Dbd.Handlers;

/// <summary>What slurmdbd knows about a connection after its REQUEST_PERSIST_INIT (wire spec §5.4).</summary>
public sealed record ConnectionState(IPEndPoint Peer, uint Uid, uint Gid, string? ClusterName, ushort ProtocolVersion)
{
    public override string ToString() => $"{Peer} uid {Uid} cluster {ClusterName ?? "(none)"}";
}
