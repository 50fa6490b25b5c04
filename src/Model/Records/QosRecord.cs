using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>pack_bit_str_hex: a bit count and "0x"+hex digits, or no bitmap at all (records spec §0.1).</summary>
public sealed record SlurmBitString(uint BitCount, string? HexMask)
{
    public static void Pack(SlurmWriter writer, SlurmBitString? bits)
    {
        if (bits is null)
        {
            writer.WriteU32(SlurmValues.NoVal);
            return;
        }
        writer.WriteU32(bits.BitCount);
        writer.WriteString(bits.HexMask);
    }

    public static SlurmBitString? Unpack(ref SlurmReader reader)
    {
        uint bitCount = reader.ReadU32();
        return bitCount == SlurmValues.NoVal ? null : new SlurmBitString(bitCount, reader.ReadString());
    }
}

/// <summary>slurmdb_qos_rec_t, 22.05 layout (slurmdb_pack_qos_rec ≥21.08 branch; records spec §6.6).</summary>
public sealed record QosRecord : IListRecord<QosRecord>
{
    public static int MinimumPackedSize => 154;

    public string? Description { get; init; }
    public uint Id { get; init; }
    public uint Flags { get; init; }
    public uint GraceTime { get; init; }
    public string? GrpTresMins { get; init; }
    public string? GrpTresRunMins { get; init; }
    public string? GrpTres { get; init; }
    public uint GrpJobs { get; init; } = SlurmValues.Infinite;
    public uint GrpJobsAccrue { get; init; } = SlurmValues.Infinite;
    public uint GrpSubmitJobs { get; init; } = SlurmValues.Infinite;
    public uint GrpWall { get; init; } = SlurmValues.Infinite;
    public string? MaxTresMinsPerJob { get; init; }
    public string? MaxTresRunMinsPerAccount { get; init; }
    public string? MaxTresRunMinsPerUser { get; init; }
    public string? MaxTresPerAccount { get; init; }
    public string? MaxTresPerJob { get; init; }
    public string? MaxTresPerNode { get; init; }
    public string? MaxTresPerUser { get; init; }
    public uint MaxJobsPerAccount { get; init; } = SlurmValues.Infinite;
    public uint MaxJobsPerUser { get; init; } = SlurmValues.Infinite;
    public uint MaxJobsAccruePerAccount { get; init; } = SlurmValues.Infinite;
    public uint MaxJobsAccruePerUser { get; init; } = SlurmValues.Infinite;
    public uint MinPrioThreshold { get; init; } = SlurmValues.Infinite;
    public uint MaxSubmitJobsPerAccount { get; init; } = SlurmValues.Infinite;
    public uint MaxSubmitJobsPerUser { get; init; } = SlurmValues.Infinite;
    public uint MaxWallPerJob { get; init; } = SlurmValues.Infinite;
    public string? MinTresPerJob { get; init; }
    public string? Name { get; init; }
    public SlurmBitString? PreemptBits { get; init; }
    public List<string>? PreemptList { get; init; }
    public ushort PreemptMode { get; init; }
    public uint PreemptExemptTime { get; init; } = SlurmValues.Infinite;
    public uint Priority { get; init; }
    public double UsageFactor { get; init; } = 1.0;
    public double UsageThreshold { get; init; } = SlurmValues.Infinite;
    public double LimitFactor { get; init; } = SlurmValues.Infinite;

    public void Pack(SlurmWriter writer)
    {
        writer.WriteString(Description);
        writer.WriteU32(Id);
        writer.WriteU32(Flags);
        writer.WriteU32(GraceTime);
        writer.WriteString(GrpTresMins);
        writer.WriteString(GrpTresRunMins);
        writer.WriteString(GrpTres);
        writer.WriteU32(GrpJobs);
        writer.WriteU32(GrpJobsAccrue);
        writer.WriteU32(GrpSubmitJobs);
        writer.WriteU32(GrpWall);
        writer.WriteString(MaxTresMinsPerJob);
        writer.WriteString(MaxTresRunMinsPerAccount);
        writer.WriteString(MaxTresRunMinsPerUser);
        writer.WriteString(MaxTresPerAccount);
        writer.WriteString(MaxTresPerJob);
        writer.WriteString(MaxTresPerNode);
        writer.WriteString(MaxTresPerUser);
        writer.WriteU32(MaxJobsPerAccount);
        writer.WriteU32(MaxJobsPerUser);
        writer.WriteU32(MaxJobsAccruePerAccount);
        writer.WriteU32(MaxJobsAccruePerUser);
        writer.WriteU32(MinPrioThreshold);
        writer.WriteU32(MaxSubmitJobsPerAccount);
        writer.WriteU32(MaxSubmitJobsPerUser);
        writer.WriteU32(MaxWallPerJob);
        writer.WriteString(MinTresPerJob);
        writer.WriteString(Name);
        SlurmBitString.Pack(writer, PreemptBits);
        writer.WriteStringList(PreemptList);
        writer.WriteU16(PreemptMode);
        writer.WriteU32(PreemptExemptTime);
        writer.WriteU32(Priority);
        writer.WriteDouble(UsageFactor);
        writer.WriteDouble(UsageThreshold);
        writer.WriteDouble(LimitFactor);
    }

    public static QosRecord Unpack(ref SlurmReader reader) => new()
    {
        Description = reader.ReadString(),
        Id = reader.ReadU32(),
        Flags = reader.ReadU32(),
        GraceTime = reader.ReadU32(),
        GrpTresMins = reader.ReadString(),
        GrpTresRunMins = reader.ReadString(),
        GrpTres = reader.ReadString(),
        GrpJobs = reader.ReadU32(),
        GrpJobsAccrue = reader.ReadU32(),
        GrpSubmitJobs = reader.ReadU32(),
        GrpWall = reader.ReadU32(),
        MaxTresMinsPerJob = reader.ReadString(),
        MaxTresRunMinsPerAccount = reader.ReadString(),
        MaxTresRunMinsPerUser = reader.ReadString(),
        MaxTresPerAccount = reader.ReadString(),
        MaxTresPerJob = reader.ReadString(),
        MaxTresPerNode = reader.ReadString(),
        MaxTresPerUser = reader.ReadString(),
        MaxJobsPerAccount = reader.ReadU32(),
        MaxJobsPerUser = reader.ReadU32(),
        MaxJobsAccruePerAccount = reader.ReadU32(),
        MaxJobsAccruePerUser = reader.ReadU32(),
        MinPrioThreshold = reader.ReadU32(),
        MaxSubmitJobsPerAccount = reader.ReadU32(),
        MaxSubmitJobsPerUser = reader.ReadU32(),
        MaxWallPerJob = reader.ReadU32(),
        MinTresPerJob = reader.ReadString(),
        Name = reader.ReadString(),
        PreemptBits = SlurmBitString.Unpack(ref reader),
        PreemptList = reader.ReadStringList(),
        PreemptMode = reader.ReadU16(),
        PreemptExemptTime = reader.ReadU32(),
        Priority = reader.ReadU32(),
        UsageFactor = reader.ReadDouble(),
        UsageThreshold = reader.ReadDouble(),
        LimitFactor = reader.ReadDouble(),
    };

}

/// <summary>slurmdb_qos_cond_t (records spec §6.6).</summary>
public sealed record QosCondition(
    List<string>? DescriptionList,
    List<string>? FormatList,
    List<string>? IdList,
    List<string>? NameList,
    ushort PreemptMode,
    ushort WithDeleted) : IWireRecord<QosCondition>
{
    public void Pack(SlurmWriter writer)
    {
        writer.WriteStringList(DescriptionList);
        writer.WriteStringList(FormatList);
        writer.WriteStringList(IdList);
        writer.WriteStringList(NameList);
        writer.WriteU16(PreemptMode);
        writer.WriteU16(WithDeleted);
    }

    public static QosCondition Unpack(ref SlurmReader reader) =>
        new(reader.ReadStringList(), reader.ReadStringList(), reader.ReadStringList(), reader.ReadStringList(),
            reader.ReadU16(), reader.ReadU16());
}
