using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

public static partial class DbdMessageDecoder
{
    /// <summary>Accounts, users, associations, QOS, TRES, wckeys and what belongs with them (records spec §5–6).</summary>
    private static IDbdMessage? DecodeEntities(DbdMessageType type, ref SlurmReader reader) => type switch
    {
        DbdMessageType.GetTres => ConditionMessage<TresCondition>.Unpack(type, ref reader),
        DbdMessageType.GotTres or DbdMessageType.AddTres => ListMessage<TresRecord>.Unpack(type, ref reader),
        DbdMessageType.GetQos => ConditionMessage<QosCondition>.Unpack(type, ref reader),
        DbdMessageType.GotQos or DbdMessageType.AddQos => ListMessage<QosRecord>.Unpack(type, ref reader),
        DbdMessageType.GetAssocs => ConditionMessage<AssociationCondition>.Unpack(type, ref reader),
        DbdMessageType.GotAssocs => ListMessage<AssociationRecord>.Unpack(type, ref reader),
        _ => null,
    };
}
