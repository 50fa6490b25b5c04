using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// DBD_GOT_LIST: the reply to MODIFY and REMOVE, one printable line per affected object, then a return
/// code (1900, 7001, 7009 for removes; records spec §1.4).
/// </summary>
public sealed record GotListMessage(List<string>? Items, int ReturnCode = SlurmError.Success) : IDbdMessage
{
    public DbdMessageType Type => DbdMessageType.GotList;

    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        writer.WriteStringList(Items);
        writer.WriteU32((uint)ReturnCode);
    }

    public static GotListMessage Unpack(ref SlurmReader reader) => new(reader.ReadStringList(), (int)reader.ReadU32());
}
