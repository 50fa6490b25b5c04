using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>
/// jobacctinfo_t as jobacctinfo_pack sends it to the dbd, ≥21.08 layout (src/common/slurm_jobacct_gather.c;
/// wire spec §9.8.2): CPU times, frequency, energy, the sender's TRES ids, an optional TRES list, then
/// fourteen usage arrays indexed like the ids. Unset entries are INFINITE64; the arrays are kept as sent.
/// On the wire it is preceded by a u8 "present" flag, which <see cref="Pack"/> and <see cref="Unpack"/> handle.
/// </summary>
public sealed record JobAccounting
{
    public ulong UserCpuSec { get; init; }
    public uint UserCpuUsec { get; init; }
    public ulong SysCpuSec { get; init; }
    public uint SysCpuUsec { get; init; }
    public uint ActCpuFreq { get; init; }
    public ulong ConsumedEnergy { get; init; }
    public uint[] TresIds { get; init; } = [];
    /// <summary>Usually absent (NO_VAL); packed by the sender at its own version, which is this one.</summary>
    public List<TresRecord>? TresList { get; init; }
    public ulong[] TresUsageInMax { get; init; } = [];
    public ulong[] TresUsageInMaxNodeId { get; init; } = [];
    public ulong[] TresUsageInMaxTaskId { get; init; } = [];
    public ulong[] TresUsageInMin { get; init; } = [];
    public ulong[] TresUsageInMinNodeId { get; init; } = [];
    public ulong[] TresUsageInMinTaskId { get; init; } = [];
    public ulong[] TresUsageInTot { get; init; } = [];
    public ulong[] TresUsageOutMax { get; init; } = [];
    public ulong[] TresUsageOutMaxNodeId { get; init; } = [];
    public ulong[] TresUsageOutMaxTaskId { get; init; } = [];
    public ulong[] TresUsageOutMin { get; init; } = [];
    public ulong[] TresUsageOutMinNodeId { get; init; } = [];
    public ulong[] TresUsageOutMinTaskId { get; init; } = [];
    public ulong[] TresUsageOutTot { get; init; } = [];

    /// <summary>u8 0 for no accounting data (NULL jobacct), else u8 1 and the data.</summary>
    public static void Pack(SlurmWriter writer, JobAccounting? accounting)
    {
        writer.WriteBool(accounting is not null);
        accounting?.PackData(writer);
    }

    /// <summary>Any non-zero presence byte means data follows, as in jobacctinfo_unpack.</summary>
    public static JobAccounting? Unpack(ref SlurmReader reader) => reader.ReadBool() ? UnpackData(ref reader) : null;

    private void PackData(SlurmWriter writer)
    {
        writer.WriteU64(UserCpuSec);
        writer.WriteU32(UserCpuUsec);
        writer.WriteU64(SysCpuSec);
        writer.WriteU32(SysCpuUsec);
        writer.WriteU32(ActCpuFreq);
        writer.WriteU64(ConsumedEnergy);
        writer.WriteU32Array(TresIds);
        writer.WriteList(TresList);
        writer.WriteU64Array(TresUsageInMax);
        writer.WriteU64Array(TresUsageInMaxNodeId);
        writer.WriteU64Array(TresUsageInMaxTaskId);
        writer.WriteU64Array(TresUsageInMin);
        writer.WriteU64Array(TresUsageInMinNodeId);
        writer.WriteU64Array(TresUsageInMinTaskId);
        writer.WriteU64Array(TresUsageInTot);
        writer.WriteU64Array(TresUsageOutMax);
        writer.WriteU64Array(TresUsageOutMaxNodeId);
        writer.WriteU64Array(TresUsageOutMaxTaskId);
        writer.WriteU64Array(TresUsageOutMin);
        writer.WriteU64Array(TresUsageOutMinNodeId);
        writer.WriteU64Array(TresUsageOutMinTaskId);
        writer.WriteU64Array(TresUsageOutTot);
    }

    private static JobAccounting UnpackData(ref SlurmReader reader) => new()
    {
        UserCpuSec = reader.ReadU64(),
        UserCpuUsec = reader.ReadU32(),
        SysCpuSec = reader.ReadU64(),
        SysCpuUsec = reader.ReadU32(),
        ActCpuFreq = reader.ReadU32(),
        ConsumedEnergy = reader.ReadU64(),
        TresIds = reader.ReadU32Array(),
        TresList = reader.ReadList<TresRecord>(),
        TresUsageInMax = reader.ReadU64Array(),
        TresUsageInMaxNodeId = reader.ReadU64Array(),
        TresUsageInMaxTaskId = reader.ReadU64Array(),
        TresUsageInMin = reader.ReadU64Array(),
        TresUsageInMinNodeId = reader.ReadU64Array(),
        TresUsageInMinTaskId = reader.ReadU64Array(),
        TresUsageInTot = reader.ReadU64Array(),
        TresUsageOutMax = reader.ReadU64Array(),
        TresUsageOutMaxNodeId = reader.ReadU64Array(),
        TresUsageOutMaxTaskId = reader.ReadU64Array(),
        TresUsageOutMin = reader.ReadU64Array(),
        TresUsageOutMinNodeId = reader.ReadU64Array(),
        TresUsageOutMinTaskId = reader.ReadU64Array(),
        TresUsageOutTot = reader.ReadU64Array(),
    };
}
