using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>
/// slurmdb_stats_t as _pack_slurmdb_stats sends it inside a step record (records spec §2.6): the CPU
/// frequency, the energy, then sixteen simple TRES strings ("id=value,…") in this fixed order.
/// A NULL stats block packs exactly like a default one.
/// </summary>
public sealed record StepStatistics : IWireRecord<StepStatistics>
{
    public const int MinimumPackedSize = 8 + 8 + 16 * 4;

    public double ActCpuFreq { get; init; }
    public ulong ConsumedEnergy { get; init; }
    public string? TresUsageInAve { get; init; }
    public string? TresUsageInMax { get; init; }
    public string? TresUsageInMaxNodeId { get; init; }
    public string? TresUsageInMaxTaskId { get; init; }
    public string? TresUsageInMin { get; init; }
    public string? TresUsageInMinNodeId { get; init; }
    public string? TresUsageInMinTaskId { get; init; }
    public string? TresUsageInTot { get; init; }
    public string? TresUsageOutAve { get; init; }
    public string? TresUsageOutMax { get; init; }
    public string? TresUsageOutMaxNodeId { get; init; }
    public string? TresUsageOutMaxTaskId { get; init; }
    public string? TresUsageOutMin { get; init; }
    public string? TresUsageOutMinNodeId { get; init; }
    public string? TresUsageOutMinTaskId { get; init; }
    public string? TresUsageOutTot { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteDouble(ActCpuFreq);
        writer.WriteU64(ConsumedEnergy);
        writer.WriteString(TresUsageInAve);
        writer.WriteString(TresUsageInMax);
        writer.WriteString(TresUsageInMaxNodeId);
        writer.WriteString(TresUsageInMaxTaskId);
        writer.WriteString(TresUsageInMin);
        writer.WriteString(TresUsageInMinNodeId);
        writer.WriteString(TresUsageInMinTaskId);
        writer.WriteString(TresUsageInTot);
        writer.WriteString(TresUsageOutAve);
        writer.WriteString(TresUsageOutMax);
        writer.WriteString(TresUsageOutMaxNodeId);
        writer.WriteString(TresUsageOutMaxTaskId);
        writer.WriteString(TresUsageOutMin);
        writer.WriteString(TresUsageOutMinNodeId);
        writer.WriteString(TresUsageOutMinTaskId);
        writer.WriteString(TresUsageOutTot);
    }

    public static StepStatistics Unpack(ref SlurmReader reader) => new()
    {
        ActCpuFreq = reader.ReadDouble(),
        ConsumedEnergy = reader.ReadU64(),
        TresUsageInAve = reader.ReadString(),
        TresUsageInMax = reader.ReadString(),
        TresUsageInMaxNodeId = reader.ReadString(),
        TresUsageInMaxTaskId = reader.ReadString(),
        TresUsageInMin = reader.ReadString(),
        TresUsageInMinNodeId = reader.ReadString(),
        TresUsageInMinTaskId = reader.ReadString(),
        TresUsageInTot = reader.ReadString(),
        TresUsageOutAve = reader.ReadString(),
        TresUsageOutMax = reader.ReadString(),
        TresUsageOutMaxNodeId = reader.ReadString(),
        TresUsageOutMaxTaskId = reader.ReadString(),
        TresUsageOutMin = reader.ReadString(),
        TresUsageOutMinNodeId = reader.ReadString(),
        TresUsageOutMinTaskId = reader.ReadString(),
        TresUsageOutTot = reader.ReadString(),
    };
}
