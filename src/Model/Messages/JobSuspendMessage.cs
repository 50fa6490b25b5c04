using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>DBD_JOB_SUSPEND (dbd_job_suspend_msg_t; wire spec §9.7): job_state SUSPENDED (2) opens a suspend interval, RUNNING (1) closes it.</summary>
public sealed record JobSuspendMessage(uint AssocId, ulong DbIndex, uint JobId, uint JobState, long SubmitTime, long SuspendTime)
    : IDbdMessage
{
    public DbdMessageType Type => DbdMessageType.JobSuspend;

    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        writer.WriteU32(AssocId);
        writer.WriteU64(DbIndex);
        writer.WriteU32(JobId);
        writer.WriteU32(JobState);
        writer.WriteTime(SubmitTime);
        writer.WriteTime(SuspendTime);
    }

    public static JobSuspendMessage Unpack(ref SlurmReader reader) =>
        new(reader.ReadU32(), reader.ReadU64(), reader.ReadU32(), reader.ReadU32(), reader.ReadTime(), reader.ReadTime());
}
