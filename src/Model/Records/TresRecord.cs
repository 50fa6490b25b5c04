using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>slurmdb_tres_rec_t (slurmdb_pack_tres_rec; records spec §2.1).</summary>
public sealed record TresRecord(ulong AllocSeconds, ulong Count, uint Id, string? Name, string? Type)
    : IListRecord<TresRecord>
{
    /// <summary>Smallest packed size: two u64, a u32 and two NULL strings.</summary>
    public static int MinimumPackedSize => 28;

    public void Pack(SlurmWriter writer)
    {
        writer.WriteU64(AllocSeconds);
        writer.WriteU64(Count);
        writer.WriteU32(Id);
        writer.WriteString(Name);
        writer.WriteString(Type);
    }

    public static TresRecord Unpack(ref SlurmReader reader) =>
        new(reader.ReadU64(), reader.ReadU64(), reader.ReadU32(), reader.ReadString(), reader.ReadString());

}

/// <summary>slurmdb_tres_cond_t (slurmdb_pack_tres_cond; records spec §6.7).</summary>
public sealed record TresCondition(
    ulong Count,
    List<string>? FormatList,
    List<string>? IdList,
    List<string>? NameList,
    List<string>? TypeList,
    ushort WithDeleted) : IWireRecord<TresCondition>
{
    public void Pack(SlurmWriter writer)
    {
        writer.WriteU64(Count);
        writer.WriteStringList(FormatList);
        writer.WriteStringList(IdList);
        writer.WriteStringList(NameList);
        writer.WriteStringList(TypeList);
        writer.WriteU16(WithDeleted);
    }

    public static TresCondition Unpack(ref SlurmReader reader) =>
        new(reader.ReadU64(), reader.ReadStringList(), reader.ReadStringList(), reader.ReadStringList(),
            reader.ReadStringList(), reader.ReadU16());
}
