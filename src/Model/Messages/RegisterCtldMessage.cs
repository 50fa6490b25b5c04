using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// DBD_REGISTER_CTLD (dbd_register_ctld_msg_t; wire spec §9.2): slurmctld announces its port; the peer
/// address of the connection supplies the control host.
/// </summary>
public sealed record RegisterCtldMessage(ushort Dimensions, uint Flags, uint PluginIdSelect, ushort Port) : IDbdMessage
{
    public DbdMessageType Type => DbdMessageType.RegisterCtld;

    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        writer.WriteU16(Dimensions);
        writer.WriteU32(Flags);
        writer.WriteU32(PluginIdSelect);
        writer.WriteU16(Port);
    }

    public static RegisterCtldMessage Unpack(ref SlurmReader reader) =>
        new(reader.ReadU16(), reader.ReadU32(), reader.ReadU32(), reader.ReadU16());
}
