using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>slurmdb_step_rec_t, the ≥21.08 layout that 22.05 sends inside a job record (records spec §8.3).</summary>
public sealed record StepRecord : IListRecord<StepRecord>
{
    /// <summary>Five NULL strings, the smallest stats block, thirteen u32, the step id, a u16, two times, three u64.</summary>
    public static int MinimumPackedSize => 5 * 4 + StepStatistics.MinimumPackedSize + 13 * 4 + SlurmStepId.PackedSize + 2 + 2 * 8 + 3 * 8;

    public string? Container { get; init; }
    public uint Elapsed { get; init; }
    public long End { get; init; }
    /// <summary>A wait status (records spec §8.4), an int32 on the sending side.</summary>
    public uint ExitCode { get; init; }
    public uint NodeCount { get; init; }
    public string? Nodes { get; init; }
    public uint TaskCount { get; init; }
    public uint ReqCpuFreqMin { get; init; }
    public uint ReqCpuFreqMax { get; init; }
    public uint ReqCpuFreqGov { get; init; }
    public uint RequestingUid { get; init; } = SlurmValues.Infinite;
    public StepStatistics Stats { get; init; } = new();
    public long Start { get; init; }
    /// <summary>The step's job state, cut to 16 bits by the packer.</summary>
    public ushort State { get; init; }
    public SlurmStepId StepId { get; init; } = new(0, 0, SlurmValues.NoVal);
    public string? StepName { get; init; }
    public string? SubmitLine { get; init; }
    public uint Suspended { get; init; }
    public ulong SysCpuSec { get; init; }
    public uint SysCpuUsec { get; init; }
    public uint TaskDist { get; init; }
    public ulong TotCpuSec { get; init; }
    public uint TotCpuUsec { get; init; }
    public string? TresAllocString { get; init; }
    public ulong UserCpuSec { get; init; }
    public uint UserCpuUsec { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteString(Container);
        writer.WriteU32(Elapsed);
        writer.WriteTime(End);
        writer.WriteU32(ExitCode);
        writer.WriteU32(NodeCount);
        writer.WriteString(Nodes);
        writer.WriteU32(TaskCount);
        writer.WriteU32(ReqCpuFreqMin);
        writer.WriteU32(ReqCpuFreqMax);
        writer.WriteU32(ReqCpuFreqGov);
        writer.WriteU32(RequestingUid);
        Stats.Pack(writer);
        writer.WriteTime(Start);
        writer.WriteU16(State);
        StepId.Pack(writer);
        writer.WriteString(StepName);
        writer.WriteString(SubmitLine);
        writer.WriteU32(Suspended);
        writer.WriteU64(SysCpuSec);
        writer.WriteU32(SysCpuUsec);
        writer.WriteU32(TaskDist);
        writer.WriteU64(TotCpuSec);
        writer.WriteU32(TotCpuUsec);
        writer.WriteString(TresAllocString);
        writer.WriteU64(UserCpuSec);
        writer.WriteU32(UserCpuUsec);
    }

    public static StepRecord Unpack(ref SlurmReader reader) => new()
    {
        Container = reader.ReadString(),
        Elapsed = reader.ReadU32(),
        End = reader.ReadTime(),
        ExitCode = reader.ReadU32(),
        NodeCount = reader.ReadU32(),
        Nodes = reader.ReadString(),
        TaskCount = reader.ReadU32(),
        ReqCpuFreqMin = reader.ReadU32(),
        ReqCpuFreqMax = reader.ReadU32(),
        ReqCpuFreqGov = reader.ReadU32(),
        RequestingUid = reader.ReadU32(),
        Stats = StepStatistics.Unpack(ref reader),
        Start = reader.ReadTime(),
        State = reader.ReadU16(),
        StepId = SlurmStepId.Unpack(ref reader),
        StepName = reader.ReadString(),
        SubmitLine = reader.ReadString(),
        Suspended = reader.ReadU32(),
        SysCpuSec = reader.ReadU64(),
        SysCpuUsec = reader.ReadU32(),
        TaskDist = reader.ReadU32(),
        TotCpuSec = reader.ReadU64(),
        TotCpuUsec = reader.ReadU32(),
        TresAllocString = reader.ReadString(),
        UserCpuSec = reader.ReadU64(),
        UserCpuUsec = reader.ReadU32(),
    };
}
