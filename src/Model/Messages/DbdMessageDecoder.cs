using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// Decodes a persist-format message (u16 type + body, without the frame length) at the connection's
/// version. A type this codec has no layout for fails exactly like a body that does not unpack, because
/// that is what slurmdbd answers for both (wire spec §5.6).
/// </summary>
public static class DbdMessageDecoder
{
    public static IDbdMessage Decode(ReadOnlySpan<byte> message, ushort protocolVersion)
    {
        if (protocolVersion != ProtocolVersion.Current)
            throw new WireFormatException(0, $"no layouts for protocol version {protocolVersion}");
        var reader = new SlurmReader(message);
        var type = (DbdMessageType)reader.ReadU16();
        return type switch
        {
            DbdMessageType.Fini => FiniMessage.Unpack(ref reader),
            DbdMessageType.GetStats or DbdMessageType.ClearStats or DbdMessageType.Reconfig
                or DbdMessageType.Shutdown => new EmptyMessage(type),
            DbdMessageType.GetConfig => GetConfigMessage.Unpack(ref reader),
            DbdMessageType.GetClusters => ConditionMessage<ClusterCondition>.Unpack(type, ref reader),
            DbdMessageType.GetTres => ConditionMessage<TresCondition>.Unpack(type, ref reader),
            DbdMessageType.GetQos => ConditionMessage<QosCondition>.Unpack(type, ref reader),
            DbdMessageType.GetAssocs => ConditionMessage<AssociationCondition>.Unpack(type, ref reader),
            DbdMessageType.GotClusters or DbdMessageType.AddClusters => ListMessage<ClusterRecord>.Unpack(type, ref reader),
            DbdMessageType.ModifyClusters => ModifyMessage<ClusterCondition, ClusterRecord>.Unpack(type, ref reader),
            DbdMessageType.RemoveClusters => ConditionMessage<ClusterCondition>.Unpack(type, ref reader),
            DbdMessageType.GetFederations or DbdMessageType.RemoveFederations => ConditionMessage<FederationCondition>.Unpack(type, ref reader),
            DbdMessageType.GotFederations or DbdMessageType.AddFederations => ListMessage<FederationRecord>.Unpack(type, ref reader),
            DbdMessageType.ModifyFederations => ModifyMessage<FederationCondition, FederationRecord>.Unpack(type, ref reader),
            DbdMessageType.GotList => GotListMessage.Unpack(ref reader),
            DbdMessageType.GotTres or DbdMessageType.AddTres => ListMessage<TresRecord>.Unpack(type, ref reader),
            DbdMessageType.GotQos or DbdMessageType.AddQos => ListMessage<QosRecord>.Unpack(type, ref reader),
            DbdMessageType.GotAssocs => ListMessage<AssociationRecord>.Unpack(type, ref reader),
            DbdMessageType.GotConfig => ListMessage<ConfigKeyPair>.Unpack(type, ref reader),
            DbdMessageType.GotStats => StatsMessage.Unpack(ref reader),
            DbdMessageType.PersistRc => PersistRc.Unpack(ref reader),
            _ => throw new WireFormatException(0, $"no layout for message type {(ushort)type}"),
        };
    }
}
