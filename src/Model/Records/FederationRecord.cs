using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>
/// slurmdb_federation_rec_t (records spec §4.2): u8 present (0 = NULL record, nothing follows), name,
/// flags, the member clusters as full cluster records.
/// </summary>
public sealed record FederationRecord(bool Present, string? Name, uint Flags, List<ClusterRecord>? ClusterList)
    : IListRecord<FederationRecord>
{
    /// <summary>FEDERATION_FLAG_NOTSET: requests carry it when no flags= was given.</summary>
    public const uint FlagNotSet = 0x10000000;
    public const uint FlagAdd = 0x20000000;
    public const uint FlagRemove = 0x40000000;

    public static readonly FederationRecord Null = new(false, null, 0, null);

    public static int MinimumPackedSize => 1;

    public void Pack(SlurmWriter writer)
    {
        writer.WriteBool(Present);
        if (!Present)
            return;
        writer.WriteString(Name);
        writer.WriteU32(Flags);
        writer.WriteList(ClusterList);
    }

    public static FederationRecord Unpack(ref SlurmReader reader) => reader.ReadBool()
        ? new FederationRecord(true, reader.ReadString(), reader.ReadU32(), reader.ReadList<ClusterRecord>())
        : Null;
}

/// <summary>slurmdb_federation_cond_t (records spec §4.1).</summary>
public sealed record FederationCondition(List<string>? ClusterList, List<string>? FederationList, List<string>? FormatList, ushort WithDeleted)
    : IWireRecord<FederationCondition>
{
    public void Pack(SlurmWriter writer)
    {
        writer.WriteStringList(ClusterList);
        writer.WriteStringList(FederationList);
        writer.WriteStringList(FormatList);
        writer.WriteU16(WithDeleted);
    }

    public static FederationCondition Unpack(ref SlurmReader reader) =>
        new(reader.ReadStringList(), reader.ReadStringList(), reader.ReadStringList(), reader.ReadU16());
}
