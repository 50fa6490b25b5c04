using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// "list msg" (dbd_list_msg_t; wire spec §8.3): a list (NO_VAL when absent), then u32 return_code.
/// Carries the DBD_ADD_* requests and the DBD_GOT_* replies; the type says what the records are.
/// </summary>
public sealed record ListMessage<TRecord>(DbdMessageType Type, List<TRecord>? Items, int ReturnCode = SlurmError.Success)
    : IDbdMessage where TRecord : IListRecord<TRecord>
{
    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        writer.WriteList(Items);
        writer.WriteU32((uint)ReturnCode);
    }

    public static ListMessage<TRecord> Unpack(DbdMessageType type, ref SlurmReader reader) =>
        new(type, reader.ReadList<TRecord>(), (int)reader.ReadU32());
}
