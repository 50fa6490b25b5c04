using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// PERSIST_RC (1433), the generic reply (persist_rc_msg_t; wire spec §5.2). ret_info is the negotiated
/// version in the init reply and the request's type everywhere else.
/// </summary>
public sealed record PersistRc(string? Comment, ushort Flags, int ReturnCode, ushort RetInfo) : IDbdMessage
{
    /// <summary>PERSIST_FLAG_P_USER_CASE: the only flag a server ever sends (Parameters=PreserveCaseUser).</summary>
    public const ushort FlagPreserveUserCase = 0x0008;

    public DbdMessageType Type => DbdMessageType.PersistRc;

    public static PersistRc Ok(DbdMessageType request) => new(null, 0, SlurmError.Success, (ushort)request);

    public static PersistRc Failure(DbdMessageType request, int returnCode, string? comment) =>
        new(comment, 0, returnCode, (ushort)request);

    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        writer.WriteString(Comment);
        writer.WriteU16(Flags);
        writer.WriteU32((uint)ReturnCode);
        writer.WriteU16(RetInfo);
    }

    public static PersistRc Unpack(ref SlurmReader reader) =>
        new(reader.ReadString(), reader.ReadU16(), (int)reader.ReadU32(), reader.ReadU16());
}
