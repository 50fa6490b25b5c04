using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// dbd_cluster_tres_msg_t (wire spec §9.3, §9.9): the body of DBD_CLUSTER_TRES (the cluster's nodes and TRES
/// counts) and of DBD_FLUSH_JOBS, which sends only the event time.
/// </summary>
public sealed record ClusterTresMessage(DbdMessageType Type, string? ClusterNodes, long EventTime, string? TresString)
    : IDbdMessage
{
    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        writer.WriteString(ClusterNodes);
        writer.WriteTime(EventTime);
        writer.WriteString(TresString);
    }

    public static ClusterTresMessage Unpack(DbdMessageType type, ref SlurmReader reader) =>
        new(type, reader.ReadString(), reader.ReadTime(), reader.ReadString());
}
