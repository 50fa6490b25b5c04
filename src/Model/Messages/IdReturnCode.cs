using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// DBD_ID_RC (dbd_id_rc_msg_t, 22.05 layout with flags; wire spec §8.2): the answer to DBD_JOB_START, and
/// one record per job of DBD_GOT_MULT_JOB_START.
/// </summary>
public sealed record IdReturnCode(uint JobId, ulong DbIndex, ulong Flags, int ReturnCode)
    : IDbdMessage, IListRecord<IdReturnCode>
{
    /// <summary>JOB_SEND_ENV and JOB_SEND_SCRIPT: "unknown hash, send DBD_JOB_HEAVY" (wire spec §9.5.3).</summary>
    public const ulong FlagSendEnv = 0x40;
    public const ulong FlagSendScript = 0x800000000;

    public static int MinimumPackedSize => 4 + 8 + 8 + 4;

    public DbdMessageType Type => DbdMessageType.IdRc;

    public void PackBody(SlurmWriter writer, ushort protocolVersion) => Pack(writer);

    public void Pack(SlurmWriter writer)
    {
        writer.WriteU32(JobId);
        writer.WriteU64(DbIndex);
        writer.WriteU64(Flags);
        writer.WriteU32((uint)ReturnCode);
    }

    public static IdReturnCode Unpack(ref SlurmReader reader) =>
        new(reader.ReadU32(), reader.ReadU64(), reader.ReadU64(), (int)reader.ReadU32());
}
