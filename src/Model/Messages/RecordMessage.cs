using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>"rec msg" (dbd_rec_msg_t; wire spec §9.11): a bare record, used by DBD_ADD/MODIFY/REMOVE_RESV.</summary>
public sealed record RecordMessage<TRecord>(DbdMessageType Type, TRecord Record) : IDbdMessage
    where TRecord : IWireRecord<TRecord>
{
    public void PackBody(SlurmWriter writer, ushort protocolVersion) => Record.Pack(writer);

    public static RecordMessage<TRecord> Unpack(DbdMessageType type, ref SlurmReader reader) =>
        new(type, TRecord.Unpack(ref reader));
}
