using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// "usage msg" (dbd_usage_msg_t, slurmdbd_pack_usage_msg; records spec §1.1, §10.4): DBD_GET/GOT_ASSOC_USAGE
/// (association record), CLUSTER_USAGE (cluster record), WCKEY_USAGE (wckey record), then start and end.
/// The GOT reply echoes the record with its accounting list filled and both times 0.
/// </summary>
public sealed record UsageMessage<TRecord>(DbdMessageType Type, TRecord Record, long Start, long End) : IDbdMessage
    where TRecord : IWireRecord<TRecord>
{
    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        Record.Pack(writer);
        writer.WriteTime(Start);
        writer.WriteTime(End);
    }

    public static UsageMessage<TRecord> Unpack(DbdMessageType type, ref SlurmReader reader) =>
        new(type, TRecord.Unpack(ref reader), reader.ReadTime(), reader.ReadTime());
}
