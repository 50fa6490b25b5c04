using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>
/// slurmdb_txn_rec_t (slurmdb_pack_txn_rec; records spec §11.3): one row of the transaction log that
/// sacctmgr list transactions shows. Action is a DBD message type number. A default instance packs as
/// the NULL form.
/// </summary>
public sealed record TransactionRecord : IListRecord<TransactionRecord>
{
    /// <summary>Six NULL strings, the u16, the u32 and the time.</summary>
    public static int MinimumPackedSize => 38;

    public string? Accounts { get; init; }
    public ushort Action { get; init; }
    public string? ActorName { get; init; }
    public string? Clusters { get; init; }
    public uint Id { get; init; }
    public string? SetInfo { get; init; }
    public long Timestamp { get; init; }
    public string? Users { get; init; }
    public string? WhereQuery { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteString(Accounts);
        writer.WriteU16(Action);
        writer.WriteString(ActorName);
        writer.WriteString(Clusters);
        writer.WriteU32(Id);
        writer.WriteString(SetInfo);
        writer.WriteTime(Timestamp);
        writer.WriteString(Users);
        writer.WriteString(WhereQuery);
    }

    public static TransactionRecord Unpack(ref SlurmReader reader) => new()
    {
        Accounts = reader.ReadString(),
        Action = reader.ReadU16(),
        ActorName = reader.ReadString(),
        Clusters = reader.ReadString(),
        Id = reader.ReadU32(),
        SetInfo = reader.ReadString(),
        Timestamp = reader.ReadTime(),
        Users = reader.ReadString(),
        WhereQuery = reader.ReadString(),
    };
}

/// <summary>
/// slurmdb_txn_cond_t (slurmdb_pack_txn_cond; records spec §11.3). The reference NULL form packs only
/// seven of the eight list counts before the times, so it cannot be unpacked; a default instance packs
/// the real layout with every list absent.
/// </summary>
public sealed record TransactionCondition : IWireRecord<TransactionCondition>
{
    public List<string>? AccountList { get; init; }
    public List<string>? ActionList { get; init; }
    public List<string>? ActorList { get; init; }
    public List<string>? ClusterList { get; init; }
    public List<string>? FormatList { get; init; }
    public List<string>? IdList { get; init; }
    public List<string>? InfoList { get; init; }
    public List<string>? NameList { get; init; }
    public long TimeEnd { get; init; }
    public long TimeStart { get; init; }
    public List<string>? UserList { get; init; }
    public ushort WithAssocInfo { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteStringList(AccountList);
        writer.WriteStringList(ActionList);
        writer.WriteStringList(ActorList);
        writer.WriteStringList(ClusterList);
        writer.WriteStringList(FormatList);
        writer.WriteStringList(IdList);
        writer.WriteStringList(InfoList);
        writer.WriteStringList(NameList);
        writer.WriteTime(TimeEnd);
        writer.WriteTime(TimeStart);
        writer.WriteStringList(UserList);
        writer.WriteU16(WithAssocInfo);
    }

    public static TransactionCondition Unpack(ref SlurmReader reader) => new()
    {
        AccountList = reader.ReadStringList(),
        ActionList = reader.ReadStringList(),
        ActorList = reader.ReadStringList(),
        ClusterList = reader.ReadStringList(),
        FormatList = reader.ReadStringList(),
        IdList = reader.ReadStringList(),
        InfoList = reader.ReadStringList(),
        NameList = reader.ReadStringList(),
        TimeEnd = reader.ReadTime(),
        TimeStart = reader.ReadTime(),
        UserList = reader.ReadStringList(),
        WithAssocInfo = reader.ReadU16(),
    };
}
