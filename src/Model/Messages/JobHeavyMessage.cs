using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// DBD_JOB_HEAVY (dbd_job_heavy_msg_t, 22.05 only; wire spec §9.5.3): a job's environment and batch script,
/// sent only after a DBD_ID_RC asked for them, each with the hash the job start carried.
/// </summary>
public sealed record JobHeavyMessage(string? Env, string? EnvHash, string? Script, string? ScriptHash) : IDbdMessage
{
    public DbdMessageType Type => DbdMessageType.JobHeavy;

    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        writer.WriteString(Env);
        writer.WriteString(EnvHash);
        writer.WriteString(Script);
        writer.WriteString(ScriptHash);
    }

    public static JobHeavyMessage Unpack(ref SlurmReader reader) =>
        new(reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadString());
}
