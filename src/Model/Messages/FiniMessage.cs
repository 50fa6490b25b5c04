using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// DBD_FINI (dbd_fini_msg_t; wire spec §9.10). There is no DBD_COMMIT: (0,1) commits, (0,0) rolls back
/// (sacctmgr sends it before every command to "reset" the connection), (1,x) closes.
/// </summary>
public sealed record FiniMessage(ushort CloseConnection, ushort Commit) : IDbdMessage
{
    public DbdMessageType Type => DbdMessageType.Fini;

    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        writer.WriteU16(CloseConnection);
        writer.WriteU16(Commit);
    }

    public static FiniMessage Unpack(ref SlurmReader reader) => new(reader.ReadU16(), reader.ReadU16());
}
