using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// Decodes a persist-format message (u16 type + body, without the frame length) at the connection's
/// version. A type this codec has no layout for fails exactly like a body that does not unpack, because
/// that is what slurmdbd answers for both (wire spec §5.6). The layouts are split by family over the
/// partial files of this class; each returns null for a type that is not its own.
/// </summary>
public static partial class DbdMessageDecoder
{
    public static IDbdMessage Decode(ReadOnlySpan<byte> message, ushort protocolVersion)
    {
        if (protocolVersion != ProtocolVersion.Current)
            throw new WireFormatException(0, $"no layouts for protocol version {protocolVersion}");
        var reader = new SlurmReader(message);
        var type = (DbdMessageType)reader.ReadU16();
        return DecodeSession(type, ref reader)
            ?? DecodeClusters(type, ref reader)
            ?? DecodeEntities(type, ref reader)
            ?? DecodeController(type, ref reader)
            ?? throw new WireFormatException(0, $"no layout for message type {(ushort)type}");
    }

    /// <summary>Replies and requests about the connection and the daemon itself.</summary>
    private static IDbdMessage? DecodeSession(DbdMessageType type, ref SlurmReader reader) => type switch
    {
        DbdMessageType.Fini => FiniMessage.Unpack(ref reader),
        DbdMessageType.GetStats or DbdMessageType.ClearStats or DbdMessageType.Reconfig
            or DbdMessageType.Shutdown => new EmptyMessage(type),
        DbdMessageType.GetConfig => GetConfigMessage.Unpack(ref reader),
        DbdMessageType.GotConfig => ListMessage<ConfigKeyPair>.Unpack(type, ref reader),
        DbdMessageType.GotStats => StatsMessage.Unpack(ref reader),
        DbdMessageType.PersistRc => PersistRc.Unpack(ref reader),
        DbdMessageType.GotList => GotListMessage.Unpack(ref reader),
        _ => null,
    };

    /// <summary>Clusters and federations (records spec §3–4).</summary>
    private static IDbdMessage? DecodeClusters(DbdMessageType type, ref SlurmReader reader) => type switch
    {
        DbdMessageType.GetClusters or DbdMessageType.RemoveClusters => ConditionMessage<ClusterCondition>.Unpack(type, ref reader),
        DbdMessageType.GotClusters or DbdMessageType.AddClusters => ListMessage<ClusterRecord>.Unpack(type, ref reader),
        DbdMessageType.ModifyClusters => ModifyMessage<ClusterCondition, ClusterRecord>.Unpack(type, ref reader),
        DbdMessageType.GetFederations or DbdMessageType.RemoveFederations => ConditionMessage<FederationCondition>.Unpack(type, ref reader),
        DbdMessageType.GotFederations or DbdMessageType.AddFederations => ListMessage<FederationRecord>.Unpack(type, ref reader),
        DbdMessageType.ModifyFederations => ModifyMessage<FederationCondition, FederationRecord>.Unpack(type, ref reader),
        _ => null,
    };
}
