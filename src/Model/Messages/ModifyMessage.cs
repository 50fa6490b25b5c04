using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>"modify msg" (_pack_modify_msg): which objects (the condition), then their new values (a record).</summary>
public sealed record ModifyMessage<TCondition, TRecord>(DbdMessageType Type, TCondition Condition, TRecord Record) : IDbdMessage
    where TCondition : IWireRecord<TCondition>
    where TRecord : IWireRecord<TRecord>
{
    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        Condition.Pack(writer);
        Record.Pack(writer);
    }

    public static ModifyMessage<TCondition, TRecord> Unpack(DbdMessageType type, ref SlurmReader reader) =>
        new(type, TCondition.Unpack(ref reader), TRecord.Unpack(ref reader));
}
