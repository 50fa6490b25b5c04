using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>slurmdb_cluster_rec_t (slurmdb_pack_cluster_rec; records spec §3.2).</summary>
public sealed record ClusterRecord : IListRecord<ClusterRecord>
{
    public static int MinimumPackedSize => 58 + AssociationRecord.MinimumPackedSize;

    public List<ClusterAccountingRecord>? AccountingList { get; init; }
    public ushort Classification { get; init; }
    public string? ControlHost { get; init; }
    public uint ControlPort { get; init; }
    public ushort Dimensions { get; init; } = 1;
    public List<string>? FederationFeatures { get; init; }
    public string? FederationName { get; init; }
    public uint FederationId { get; init; }
    public uint FederationState { get; init; }
    public byte FederationSyncReceived { get; init; }
    public byte FederationSyncSent { get; init; }
    public uint Flags { get; init; } = SlurmValues.NoVal;
    public string? Name { get; init; }
    public string? Nodes { get; init; }
    public uint PluginIdSelect { get; init; } = SlurmValues.NoVal;
    public AssociationRecord RootAssociation { get; init; } = AssociationRecord.NullForm;
    public ushort RpcVersion { get; init; }
    public byte FederationReceiveConnected { get; init; }
    public byte FederationSendConnected { get; init; }
    public string? TresString { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteList(AccountingList);
        writer.WriteU16(Classification);
        writer.WriteString(ControlHost);
        writer.WriteU32(ControlPort);
        writer.WriteU16(Dimensions);
        writer.WriteStringList(FederationFeatures);
        writer.WriteString(FederationName);
        writer.WriteU32(FederationId);
        writer.WriteU32(FederationState);
        writer.WriteU8(FederationSyncReceived);
        writer.WriteU8(FederationSyncSent);
        writer.WriteU32(Flags);
        writer.WriteString(Name);
        writer.WriteString(Nodes);
        writer.WriteU32(PluginIdSelect);
        RootAssociation.Pack(writer);
        writer.WriteU16(RpcVersion);
        writer.WriteU8(FederationReceiveConnected);
        writer.WriteU8(FederationSendConnected);
        writer.WriteString(TresString);
    }

    public static ClusterRecord Unpack(ref SlurmReader reader) => new()
    {
        AccountingList = reader.ReadList<ClusterAccountingRecord>(),
        Classification = reader.ReadU16(),
        ControlHost = reader.ReadString(),
        ControlPort = reader.ReadU32(),
        Dimensions = reader.ReadU16(),
        FederationFeatures = reader.ReadStringList(),
        FederationName = reader.ReadString(),
        FederationId = reader.ReadU32(),
        FederationState = reader.ReadU32(),
        FederationSyncReceived = reader.ReadU8(),
        FederationSyncSent = reader.ReadU8(),
        Flags = reader.ReadU32(),
        Name = reader.ReadString(),
        Nodes = reader.ReadString(),
        PluginIdSelect = reader.ReadU32(),
        RootAssociation = AssociationRecord.Unpack(ref reader),
        RpcVersion = reader.ReadU16(),
        FederationReceiveConnected = reader.ReadU8(),
        FederationSendConnected = reader.ReadU8(),
        TresString = reader.ReadString(),
    };

}

/// <summary>slurmdb_cluster_cond_t (records spec §3.1).</summary>
public sealed record ClusterCondition : IWireRecord<ClusterCondition>
{
    public ushort Classification { get; init; }
    public List<string>? ClusterList { get; init; }
    public List<string>? FederationList { get; init; }
    public uint Flags { get; init; } = SlurmValues.NoVal;
    public List<string>? FormatList { get; init; }
    public List<string>? PluginIdSelectList { get; init; }
    public List<string>? RpcVersionList { get; init; }
    public long UsageEnd { get; init; }
    public long UsageStart { get; init; }
    public ushort WithUsage { get; init; }
    public ushort WithDeleted { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteU16(Classification);
        writer.WriteStringList(ClusterList);
        writer.WriteStringList(FederationList);
        writer.WriteU32(Flags);
        writer.WriteStringList(FormatList);
        writer.WriteStringList(PluginIdSelectList);
        writer.WriteStringList(RpcVersionList);
        writer.WriteTime(UsageEnd);
        writer.WriteTime(UsageStart);
        writer.WriteU16(WithUsage);
        writer.WriteU16(WithDeleted);
    }

    public static ClusterCondition Unpack(ref SlurmReader reader) => new()
    {
        Classification = reader.ReadU16(),
        ClusterList = reader.ReadStringList(),
        FederationList = reader.ReadStringList(),
        Flags = reader.ReadU32(),
        FormatList = reader.ReadStringList(),
        PluginIdSelectList = reader.ReadStringList(),
        RpcVersionList = reader.ReadStringList(),
        UsageEnd = reader.ReadTime(),
        UsageStart = reader.ReadTime(),
        WithUsage = reader.ReadU16(),
        WithDeleted = reader.ReadU16(),
    };
}
