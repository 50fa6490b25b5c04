using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>slurmdb_res_cond_t (slurmdb_pack_res_cond; records spec §11.5). A default instance packs as the NULL form.</summary>
public sealed record ResourceCondition : IWireRecord<ResourceCondition>
{
    public List<string>? ClusterList { get; init; }
    public List<string>? DescriptionList { get; init; }
    public uint Flags { get; init; } = ResourceRecord.FlagNotSet;
    public List<string>? FormatList { get; init; }
    public List<string>? IdList { get; init; }
    public List<string>? ManagerList { get; init; }
    public List<string>? NameList { get; init; }
    public List<string>? PercentList { get; init; }
    public List<string>? ServerList { get; init; }
    public List<string>? TypeList { get; init; }
    public ushort WithDeleted { get; init; }
    public ushort WithClusters { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteStringList(ClusterList);
        writer.WriteStringList(DescriptionList);
        writer.WriteU32(Flags);
        writer.WriteStringList(FormatList);
        writer.WriteStringList(IdList);
        writer.WriteStringList(ManagerList);
        writer.WriteStringList(NameList);
        writer.WriteStringList(PercentList);
        writer.WriteStringList(ServerList);
        writer.WriteStringList(TypeList);
        writer.WriteU16(WithDeleted);
        writer.WriteU16(WithClusters);
    }

    public static ResourceCondition Unpack(ref SlurmReader reader) => new()
    {
        ClusterList = reader.ReadStringList(),
        DescriptionList = reader.ReadStringList(),
        Flags = reader.ReadU32(),
        FormatList = reader.ReadStringList(),
        IdList = reader.ReadStringList(),
        ManagerList = reader.ReadStringList(),
        NameList = reader.ReadStringList(),
        PercentList = reader.ReadStringList(),
        ServerList = reader.ReadStringList(),
        TypeList = reader.ReadStringList(),
        WithDeleted = reader.ReadU16(),
        WithClusters = reader.ReadU16(),
    };
}
