using System.Net;
using Accounting.Dbd.Storage;

namespace Accounting.Dbd.Handlers;

/// <summary>What slurmdbd knows about a connection after its REQUEST_PERSIST_INIT (wire spec §5.4).</summary>
public sealed record ConnectionState(IPEndPoint Peer, uint Uid, uint Gid, string? ClusterName, ushort ProtocolVersion)
{
    private readonly List<Func<StorageSession, Task>> _closeActions = [];

    /// <summary>rem_port: the SlurmctldPort of a slurmctld that registered on this connection, 0 for any other client.</summary>
    public ushort ControllerPort { get; set; }

    /// <summary>The connection of a spooled record being replayed: it stands for one that is gone.</summary>
    public bool Replayed { get; init; }

    /// <summary>
    /// tres_str: the TRES of this controller's last accepted DBD_CLUSTER_TRES, recorded with the cluster down
    /// event when its connection drops (TrackSlurmctldDown).
    /// </summary>
    public string? ClusterTres { get; set; }

    /// <summary>Whether the close work of a registered controller (fini_ctld) is already arranged for this connection.</summary>
    public bool ControllerCloseArranged { get; set; }

    /// <summary>Work for when the connection ends, such as recording that its controller is gone (wire spec §5.4).</summary>
    public void OnClose(Func<StorageSession, Task> action) => _closeActions.Add(action);

    public IReadOnlyList<Func<StorageSession, Task>> CloseActions => _closeActions;

    public override string ToString() => $"{Peer} uid {Uid} cluster {ClusterName ?? "(none)"}";
}
