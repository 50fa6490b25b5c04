using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>
/// slurmdb_assoc_cond_t (records spec §5.1). Pack order differs from the C struct (partition before
/// parent). An absent user list means "all associations"; a present empty one "only user associations".
/// </summary>
public sealed record AssociationCondition : IWireRecord<AssociationCondition>
{
    public List<string>? AccountList { get; init; }
    public List<string>? ClusterList { get; init; }
    public List<string>? DefaultQosIdList { get; init; }
    public List<string>? FormatList { get; init; }
    public List<string>? IdList { get; init; }
    public ushort OnlyDefaults { get; init; }
    public List<string>? PartitionList { get; init; }
    public List<string>? ParentAccountList { get; init; }
    public List<string>? QosList { get; init; }
    public long UsageEnd { get; init; }
    public long UsageStart { get; init; }
    public List<string>? UserList { get; init; }
    public ushort WithUsage { get; init; }
    public ushort WithDeleted { get; init; }
    public ushort WithRawQos { get; init; }
    public ushort WithSubAccounts { get; init; }
    public ushort WithoutParentInfo { get; init; }
    public ushort WithoutParentLimits { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteStringList(AccountList);
        writer.WriteStringList(ClusterList);
        writer.WriteStringList(DefaultQosIdList);
        writer.WriteStringList(FormatList);
        writer.WriteStringList(IdList);
        writer.WriteU16(OnlyDefaults);
        writer.WriteStringList(PartitionList);
        writer.WriteStringList(ParentAccountList);
        writer.WriteStringList(QosList);
        writer.WriteTime(UsageEnd);
        writer.WriteTime(UsageStart);
        writer.WriteStringList(UserList);
        writer.WriteU16(WithUsage);
        writer.WriteU16(WithDeleted);
        writer.WriteU16(WithRawQos);
        writer.WriteU16(WithSubAccounts);
        writer.WriteU16(WithoutParentInfo);
        writer.WriteU16(WithoutParentLimits);
    }

    public static AssociationCondition Unpack(ref SlurmReader reader) => new()
    {
        AccountList = reader.ReadStringList(),
        ClusterList = reader.ReadStringList(),
        DefaultQosIdList = reader.ReadStringList(),
        FormatList = reader.ReadStringList(),
        IdList = reader.ReadStringList(),
        OnlyDefaults = reader.ReadU16(),
        PartitionList = reader.ReadStringList(),
        ParentAccountList = reader.ReadStringList(),
        QosList = reader.ReadStringList(),
        UsageEnd = reader.ReadTime(),
        UsageStart = reader.ReadTime(),
        UserList = reader.ReadStringList(),
        WithUsage = reader.ReadU16(),
        WithDeleted = reader.ReadU16(),
        WithRawQos = reader.ReadU16(),
        WithSubAccounts = reader.ReadU16(),
        WithoutParentInfo = reader.ReadU16(),
        WithoutParentLimits = reader.ReadU16(),
    };
}
