using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// DBD_STEP_COMPLETE (dbd_step_comp_msg_t; wire spec §9.8.2): the step's end, exit status and its usage
/// (<see cref="JobAccounting"/>, absent when the step had none).
/// </summary>
public sealed record StepCompleteMessage : IDbdMessage
{
    public DbdMessageType Type => DbdMessageType.StepComplete;

    public uint AssocId { get; init; }
    public ulong DbIndex { get; init; }
    public long EndTime { get; init; }
    /// <summary>The raw wait status.</summary>
    public uint ExitCode { get; init; }
    public JobAccounting? Accounting { get; init; }
    public long JobSubmitTime { get; init; }
    /// <summary>Set only on the job's last step, when its TRES were recalculated (energy); then copied to the job.</summary>
    public string? JobTresAllocString { get; init; }
    public uint RequestingUid { get; init; } = SlurmValues.Infinite;
    public long StartTime { get; init; }
    /// <summary>Step state with flags, e.g. 0x8001 RUNNING|COMPLETING for a finished batch step.</summary>
    public ushort State { get; init; }
    public SlurmStepId StepId { get; init; } = new(0, 0, SlurmValues.NoVal);
    public uint TotalTasks { get; init; }

    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        writer.WriteU32(AssocId);
        writer.WriteU64(DbIndex);
        writer.WriteTime(EndTime);
        writer.WriteU32(ExitCode);
        JobAccounting.Pack(writer, Accounting);
        writer.WriteTime(JobSubmitTime);
        writer.WriteString(JobTresAllocString);
        writer.WriteU32(RequestingUid);
        writer.WriteTime(StartTime);
        writer.WriteU16(State);
        StepId.Pack(writer);
        writer.WriteU32(TotalTasks);
    }

    public static StepCompleteMessage Unpack(ref SlurmReader reader) => new()
    {
        AssocId = reader.ReadU32(),
        DbIndex = reader.ReadU64(),
        EndTime = reader.ReadTime(),
        ExitCode = reader.ReadU32(),
        Accounting = JobAccounting.Unpack(ref reader),
        JobSubmitTime = reader.ReadTime(),
        JobTresAllocString = reader.ReadString(),
        RequestingUid = reader.ReadU32(),
        StartTime = reader.ReadTime(),
        State = reader.ReadU16(),
        StepId = SlurmStepId.Unpack(ref reader),
        TotalTasks = reader.ReadU32(),
    };
}
