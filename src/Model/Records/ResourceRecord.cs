using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>slurmdb_resource_type_t: the kind of a system resource.</summary>
public enum ResourceType : uint
{
    NotSet = 0,
    License = 1,
}

/// <summary>
/// slurmdb_res_rec_t (slurmdb_pack_res_rec; records spec §11.5): a system resource (license) and the share
/// each cluster may use. A default instance packs as the reference NULL form.
/// </summary>
public sealed record ResourceRecord : IListRecord<ResourceRecord>
{
    /// <summary>SLURMDB_RES_FLAG_NOTSET: no flags were given (NULL form, conditions).</summary>
    public const uint FlagNotSet = 0x10000000;

    /// <summary>List count, clus_res marker, four u32, four NULL strings and the u16.</summary>
    public static int MinimumPackedSize => 42;

    public List<ClusterResourceRecord>? ClusterResourceList { get; init; }
    /// <summary>The single cluster's share that GET_RES fills in when asked for one cluster.</summary>
    public ClusterResourceRecord? ClusterResource { get; init; }
    public uint Count { get; init; } = SlurmValues.NoVal;
    public string? Description { get; init; }
    public uint Flags { get; init; } = FlagNotSet;
    public uint Id { get; init; } = SlurmValues.NoVal;
    public string? Manager { get; init; }
    public string? Name { get; init; }
    public ushort PercentUsed { get; init; }
    public string? Server { get; init; }
    public ResourceType Type { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteList(ClusterResourceList);
        // The embedded clus_res_rec is preceded by a u32 marker: NO_VAL = absent, anything else = present.
        if (ClusterResource is null)
            writer.WriteU32(SlurmValues.NoVal);
        else
        {
            writer.WriteU32(0);
            ClusterResource.Pack(writer);
        }
        writer.WriteU32(Count);
        writer.WriteString(Description);
        writer.WriteU32(Flags);
        writer.WriteU32(Id);
        writer.WriteString(Manager);
        writer.WriteString(Name);
        writer.WriteU16(PercentUsed);
        writer.WriteString(Server);
        writer.WriteU32((uint)Type);
    }

    public static ResourceRecord Unpack(ref SlurmReader reader) => new()
    {
        ClusterResourceList = reader.ReadList<ClusterResourceRecord>(),
        ClusterResource = reader.ReadU32() == SlurmValues.NoVal ? null : ClusterResourceRecord.Unpack(ref reader),
        Count = reader.ReadU32(),
        Description = reader.ReadString(),
        Flags = reader.ReadU32(),
        Id = reader.ReadU32(),
        Manager = reader.ReadString(),
        Name = reader.ReadString(),
        PercentUsed = reader.ReadU16(),
        Server = reader.ReadString(),
        Type = (ResourceType)reader.ReadU32(),
    };
}

/// <summary>slurmdb_clus_res_rec_t (slurmdb_pack_clus_res_rec): the percentage of a resource one cluster may use.</summary>
public sealed record ClusterResourceRecord(string? Cluster, ushort PercentAllowed) : IListRecord<ClusterResourceRecord>
{
    public static int MinimumPackedSize => 6;

    public void Pack(SlurmWriter writer)
    {
        writer.WriteString(Cluster);
        writer.WriteU16(PercentAllowed);
    }

    public static ClusterResourceRecord Unpack(ref SlurmReader reader) => new(reader.ReadString(), reader.ReadU16());
}
