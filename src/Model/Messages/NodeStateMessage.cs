using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>DBD_NODE_STATE (dbd_node_state_msg_t; wire spec §9.4): a node went down (opens an event) or came up (closes it).</summary>
public sealed record NodeStateMessage(
    string? Hostlist,
    string? Reason,
    uint ReasonUid,
    ushort NewState,
    long EventTime,
    uint State,
    string? TresString) : IDbdMessage
{
    /// <summary>DBD_NODE_STATE_DOWN and DBD_NODE_STATE_UP, the two values of new_state.</summary>
    public const ushort NodeDown = 1;
    public const ushort NodeUp = 2;

    public DbdMessageType Type => DbdMessageType.NodeState;

    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        writer.WriteString(Hostlist);
        writer.WriteString(Reason);
        writer.WriteU32(ReasonUid);
        writer.WriteU16(NewState);
        writer.WriteTime(EventTime);
        writer.WriteU32(State);
        writer.WriteString(TresString);
    }

    public static NodeStateMessage Unpack(ref SlurmReader reader) =>
        new(reader.ReadString(), reader.ReadString(), reader.ReadU32(), reader.ReadU16(), reader.ReadTime(),
            reader.ReadU32(), reader.ReadString());
}
