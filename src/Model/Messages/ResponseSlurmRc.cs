using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// RESPONSE_SLURM_RC (return_code_msg_t; wire spec §7.2, Appendix A): slurmctld's answer to a push, a bare
/// u32 return code (EACCES when the sender is not root or SlurmUser).
/// </summary>
public sealed record ResponseSlurmRc(int ReturnCode) : ISlurmRpcBody
{
    public SlurmMessageType Type => SlurmMessageType.ResponseSlurmRc;

    public void Pack(SlurmWriter writer) => writer.WriteU32((uint)ReturnCode);

    public static ResponseSlurmRc Unpack(ref SlurmReader reader) => new((int)reader.ReadU32());
}
