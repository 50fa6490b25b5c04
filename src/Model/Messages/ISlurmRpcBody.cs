using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// The slurm_msg_type_t numbers of the one-shot RPCs between slurmdbd and slurmctld (wire spec §7.2,
/// Appendix A). They never travel on a dbd connection, hence not in <see cref="DbdMessageType"/>.
/// </summary>
public enum SlurmMessageType : ushort
{
    /// <summary>RESPONSE_SLURM_RC: slurmctld's answer to a push.</summary>
    ResponseSlurmRc = 8001,
    /// <summary>ACCOUNTING_UPDATE_MSG: slurmdbd's push of committed changes.</summary>
    AccountingUpdateMsg = 10001,
}

/// <summary>The body of a one-shot slurm RPC; the header's msg_type says which it is.</summary>
public interface ISlurmRpcBody
{
    SlurmMessageType Type { get; }

    void Pack(SlurmWriter writer);
}
