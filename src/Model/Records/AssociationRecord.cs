using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>slurmdb_assoc_rec_t (slurmdb_pack_assoc_rec; records spec §5.2).</summary>
public sealed record AssociationRecord : IListRecord<AssociationRecord>
{
    public static int MinimumPackedSize => 128;

    public List<AccountingRecord>? AccountingList { get; init; }
    public string? Account { get; init; }
    public string? Cluster { get; init; }
    public uint DefaultQosId { get; init; } = SlurmValues.NoVal;
    public ushort Flags { get; init; }
    public uint SharesRaw { get; init; } = SlurmValues.NoVal;
    public string? GrpTresMins { get; init; }
    public string? GrpTresRunMins { get; init; }
    public string? GrpTres { get; init; }
    public uint GrpJobs { get; init; } = SlurmValues.NoVal;
    public uint GrpJobsAccrue { get; init; } = SlurmValues.NoVal;
    public uint GrpSubmitJobs { get; init; } = SlurmValues.NoVal;
    public uint GrpWall { get; init; } = SlurmValues.NoVal;
    public uint Id { get; init; }
    public ushort IsDefault { get; init; }
    public uint Lft { get; init; }
    public string? MaxTresMinsPerJob { get; init; }
    public string? MaxTresRunMins { get; init; }
    public string? MaxTresPerJob { get; init; }
    public string? MaxTresPerNode { get; init; }
    public uint MaxJobs { get; init; } = SlurmValues.NoVal;
    public uint MaxJobsAccrue { get; init; } = SlurmValues.NoVal;
    public uint MinPrioThreshold { get; init; } = SlurmValues.NoVal;
    public uint MaxSubmitJobs { get; init; } = SlurmValues.NoVal;
    public uint MaxWallPerJob { get; init; } = SlurmValues.NoVal;
    public string? ParentAccount { get; init; }
    public uint ParentId { get; init; }
    public string? Partition { get; init; }
    public uint Priority { get; init; }
    public List<string>? QosList { get; init; }
    public uint Rgt { get; init; }
    public uint Uid { get; init; }
    public string? User { get; init; }

    /// <summary>What slurmdb_pack_assoc_rec(NULL) emits, e.g. for a cluster without a root association.</summary>
    public static readonly AssociationRecord NullForm = new();

    public void Pack(SlurmWriter writer)
    {
        writer.WriteList(AccountingList);
        writer.WriteString(Account);
        writer.WriteString(Cluster);
        writer.WriteU32(DefaultQosId);
        writer.WriteU16(Flags);
        writer.WriteU32(SharesRaw);
        writer.WriteString(GrpTresMins);
        writer.WriteString(GrpTresRunMins);
        writer.WriteString(GrpTres);
        writer.WriteU32(GrpJobs);
        writer.WriteU32(GrpJobsAccrue);
        writer.WriteU32(GrpSubmitJobs);
        writer.WriteU32(GrpWall);
        writer.WriteU32(Id);
        writer.WriteU16(IsDefault);
        writer.WriteU32(Lft);
        writer.WriteString(MaxTresMinsPerJob);
        writer.WriteString(MaxTresRunMins);
        writer.WriteString(MaxTresPerJob);
        writer.WriteString(MaxTresPerNode);
        writer.WriteU32(MaxJobs);
        writer.WriteU32(MaxJobsAccrue);
        writer.WriteU32(MinPrioThreshold);
        writer.WriteU32(MaxSubmitJobs);
        writer.WriteU32(MaxWallPerJob);
        writer.WriteString(ParentAccount);
        writer.WriteU32(ParentId);
        writer.WriteString(Partition);
        writer.WriteU32(Priority);
        writer.WriteStringList(QosList);
        writer.WriteU32(Rgt);
        writer.WriteU32(Uid);
        writer.WriteString(User);
    }

    public static AssociationRecord Unpack(ref SlurmReader reader) => new()
    {
        AccountingList = reader.ReadList<AccountingRecord>(),
        Account = reader.ReadString(),
        Cluster = reader.ReadString(),
        DefaultQosId = reader.ReadU32(),
        Flags = reader.ReadU16(),
        SharesRaw = reader.ReadU32(),
        GrpTresMins = reader.ReadString(),
        GrpTresRunMins = reader.ReadString(),
        GrpTres = reader.ReadString(),
        GrpJobs = reader.ReadU32(),
        GrpJobsAccrue = reader.ReadU32(),
        GrpSubmitJobs = reader.ReadU32(),
        GrpWall = reader.ReadU32(),
        Id = reader.ReadU32(),
        IsDefault = reader.ReadU16(),
        Lft = reader.ReadU32(),
        MaxTresMinsPerJob = reader.ReadString(),
        MaxTresRunMins = reader.ReadString(),
        MaxTresPerJob = reader.ReadString(),
        MaxTresPerNode = reader.ReadString(),
        MaxJobs = reader.ReadU32(),
        MaxJobsAccrue = reader.ReadU32(),
        MinPrioThreshold = reader.ReadU32(),
        MaxSubmitJobs = reader.ReadU32(),
        MaxWallPerJob = reader.ReadU32(),
        ParentAccount = reader.ReadString(),
        ParentId = reader.ReadU32(),
        Partition = reader.ReadString(),
        Priority = reader.ReadU32(),
        QosList = reader.ReadStringList(),
        Rgt = reader.ReadU32(),
        Uid = reader.ReadU32(),
        User = reader.ReadString(),
    };

}
