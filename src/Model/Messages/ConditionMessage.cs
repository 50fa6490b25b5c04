using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>"cond msg" (_pack_cond_msg): a DBD_GET_* or DBD_REMOVE_* carrying only its condition record.</summary>
public sealed record ConditionMessage<TCondition>(DbdMessageType Type, TCondition Condition) : IDbdMessage
    where TCondition : IWireRecord<TCondition>
{
    public void PackBody(SlurmWriter writer, ushort protocolVersion) => Condition.Pack(writer);

    public static ConditionMessage<TCondition> Unpack(DbdMessageType type, ref SlurmReader reader) =>
        new(type, TCondition.Unpack(ref reader));
}
