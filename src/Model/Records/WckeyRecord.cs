using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>
/// slurmdb_wckey_rec_t (slurmdb_pack_wckey_rec; records spec §6.5). The reference NULL form of this record
/// is malformed (no is_def, wrong sizes) and never sent; a default instance packs the real layout instead.
/// </summary>
public sealed record WckeyRecord : IListRecord<WckeyRecord>
{
    /// <summary>SLURMDB_WCKEY_FLAG_DELETED.</summary>
    public const uint FlagDeleted = 0x1;

    /// <summary>A list count, three NULL strings, flags, id, is_def and uid.</summary>
    public static int MinimumPackedSize => 30;

    public List<AccountingRecord>? AccountingList { get; init; }
    public string? Cluster { get; init; }
    public uint Flags { get; init; }
    public uint Id { get; init; }
    public ushort IsDefault { get; init; }
    /// <summary>"" is the blank wckey, distinct from NULL.</summary>
    public string? Name { get; init; }
    public uint Uid { get; init; }
    public string? User { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteList(AccountingList);
        writer.WriteString(Cluster);
        writer.WriteU32(Flags);
        writer.WriteU32(Id);
        writer.WriteU16(IsDefault);
        writer.WriteString(Name);
        writer.WriteU32(Uid);
        writer.WriteString(User);
    }

    public static WckeyRecord Unpack(ref SlurmReader reader) => new()
    {
        AccountingList = reader.ReadList<AccountingRecord>(),
        Cluster = reader.ReadString(),
        Flags = reader.ReadU32(),
        Id = reader.ReadU32(),
        IsDefault = reader.ReadU16(),
        Name = reader.ReadString(),
        Uid = reader.ReadU32(),
        User = reader.ReadString(),
    };
}

/// <summary>slurmdb_wckey_cond_t (slurmdb_pack_wckey_cond; records spec §6.5).</summary>
public sealed record WckeyCondition : IWireRecord<WckeyCondition>
{
    public List<string>? ClusterList { get; init; }
    public List<string>? FormatList { get; init; }
    public List<string>? IdList { get; init; }
    public List<string>? NameList { get; init; }
    public ushort OnlyDefaults { get; init; }
    public long UsageEnd { get; init; }
    public long UsageStart { get; init; }
    public List<string>? UserList { get; init; }
    public ushort WithUsage { get; init; }
    public ushort WithDeleted { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteStringList(ClusterList);
        writer.WriteStringList(FormatList);
        writer.WriteStringList(IdList);
        writer.WriteStringList(NameList);
        writer.WriteU16(OnlyDefaults);
        writer.WriteTime(UsageEnd);
        writer.WriteTime(UsageStart);
        writer.WriteStringList(UserList);
        writer.WriteU16(WithUsage);
        writer.WriteU16(WithDeleted);
    }

    public static WckeyCondition Unpack(ref SlurmReader reader) => new()
    {
        ClusterList = reader.ReadStringList(),
        FormatList = reader.ReadStringList(),
        IdList = reader.ReadStringList(),
        NameList = reader.ReadStringList(),
        OnlyDefaults = reader.ReadU16(),
        UsageEnd = reader.ReadTime(),
        UsageStart = reader.ReadTime(),
        UserList = reader.ReadStringList(),
        WithUsage = reader.ReadU16(),
        WithDeleted = reader.ReadU16(),
    };
}
