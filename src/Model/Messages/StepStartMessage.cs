using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>DBD_STEP_START (dbd_step_start_msg_t, ≥21.08 layout; wire spec §9.8.1). db_index is the job's row, possibly 0.</summary>
public sealed record StepStartMessage : IDbdMessage
{
    public DbdMessageType Type => DbdMessageType.StepStart;

    public uint AssocId { get; init; }
    public ulong DbIndex { get; init; }
    public string? Container { get; init; }
    /// <summary>"batch", "extern", or the command name.</summary>
    public string? Name { get; init; }
    public string? Nodes { get; init; }
    public string? NodeIndexes { get; init; }
    public uint NodeCount { get; init; }
    public long StartTime { get; init; }
    public long JobSubmitTime { get; init; }
    public uint ReqCpuFreqMin { get; init; }
    public uint ReqCpuFreqMax { get; init; }
    public uint ReqCpuFreqGov { get; init; }
    public SlurmStepId StepId { get; init; } = new(0, 0, SlurmValues.NoVal);
    public string? SubmitLine { get; init; }
    public uint TaskDist { get; init; }
    public uint TotalTasks { get; init; }
    public string? TresAllocString { get; init; }

    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        writer.WriteU32(AssocId);
        writer.WriteU64(DbIndex);
        writer.WriteString(Container);
        writer.WriteString(Name);
        writer.WriteString(Nodes);
        writer.WriteString(NodeIndexes);
        writer.WriteU32(NodeCount);
        writer.WriteTime(StartTime);
        writer.WriteTime(JobSubmitTime);
        writer.WriteU32(ReqCpuFreqMin);
        writer.WriteU32(ReqCpuFreqMax);
        writer.WriteU32(ReqCpuFreqGov);
        StepId.Pack(writer);
        writer.WriteString(SubmitLine);
        writer.WriteU32(TaskDist);
        writer.WriteU32(TotalTasks);
        writer.WriteString(TresAllocString);
    }

    public static StepStartMessage Unpack(ref SlurmReader reader) => new()
    {
        AssocId = reader.ReadU32(),
        DbIndex = reader.ReadU64(),
        Container = reader.ReadString(),
        Name = reader.ReadString(),
        Nodes = reader.ReadString(),
        NodeIndexes = reader.ReadString(),
        NodeCount = reader.ReadU32(),
        StartTime = reader.ReadTime(),
        JobSubmitTime = reader.ReadTime(),
        ReqCpuFreqMin = reader.ReadU32(),
        ReqCpuFreqMax = reader.ReadU32(),
        ReqCpuFreqGov = reader.ReadU32(),
        StepId = SlurmStepId.Unpack(ref reader),
        SubmitLine = reader.ReadString(),
        TaskDist = reader.ReadU32(),
        TotalTasks = reader.ReadU32(),
        TresAllocString = reader.ReadString(),
    };
}
