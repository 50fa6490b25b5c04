using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// DBD_JOB_COMPLETE (dbd_job_comp_msg_t; wire spec §9.6). db_index may be 0 when the job ended before its
/// start was acknowledged; the row is then found by (job_id, submit_time).
/// </summary>
public sealed record JobCompleteMessage : IDbdMessage
{
    public DbdMessageType Type => DbdMessageType.JobComplete;

    public string? AdminComment { get; init; }
    public uint AssocId { get; init; }
    public string? Comment { get; init; }
    public ulong DbIndex { get; init; }
    public uint DerivedExitCode { get; init; }
    public long EndTime { get; init; }
    /// <summary>The raw wait status: exit 3 is 768.</summary>
    public uint ExitCode { get; init; }
    public uint JobId { get; init; }
    public uint JobState { get; init; }
    public string? Nodes { get; init; }
    public uint RequestingUid { get; init; } = SlurmValues.Infinite;
    public long StartTime { get; init; }
    public long SubmitTime { get; init; }
    public string? SystemComment { get; init; }
    public string? TresAllocString { get; init; }

    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        writer.WriteString(AdminComment);
        writer.WriteU32(AssocId);
        writer.WriteString(Comment);
        writer.WriteU64(DbIndex);
        writer.WriteU32(DerivedExitCode);
        writer.WriteTime(EndTime);
        writer.WriteU32(ExitCode);
        writer.WriteU32(JobId);
        writer.WriteU32(JobState);
        writer.WriteString(Nodes);
        writer.WriteU32(RequestingUid);
        writer.WriteTime(StartTime);
        writer.WriteTime(SubmitTime);
        writer.WriteString(SystemComment);
        writer.WriteString(TresAllocString);
    }

    public static JobCompleteMessage Unpack(ref SlurmReader reader) => new()
    {
        AdminComment = reader.ReadString(),
        AssocId = reader.ReadU32(),
        Comment = reader.ReadString(),
        DbIndex = reader.ReadU64(),
        DerivedExitCode = reader.ReadU32(),
        EndTime = reader.ReadTime(),
        ExitCode = reader.ReadU32(),
        JobId = reader.ReadU32(),
        JobState = reader.ReadU32(),
        Nodes = reader.ReadString(),
        RequestingUid = reader.ReadU32(),
        StartTime = reader.ReadTime(),
        SubmitTime = reader.ReadTime(),
        SystemComment = reader.ReadString(),
        TresAllocString = reader.ReadString(),
    };
}
