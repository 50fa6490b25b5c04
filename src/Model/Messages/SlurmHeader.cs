using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// The slurm_msg header (pack_header; wire spec §3), as it appears in REQUEST_PERSIST_INIT and in the
/// slurmdbd→slurmctld pushes. The optional u16 type prefix of dbd connections is framing, not header.
/// </summary>
public sealed record SlurmHeader(
    ushort Version,
    ushort Flags,
    ushort MessageType,
    uint BodyLength,
    ForwardInfo? Forward,
    ushort ReturnCount,
    SlurmAddress OriginAddress)
{
    public const ushort FlagGlobalAuthKey = 0x0001;
    public const ushort FlagSlurmdbdConnection = 0x0002;

    /// <summary>Versions before 22.05 carry an extra u16 msg_index after the flags.</summary>
    private static bool HasMessageIndex(ushort version) => version < ProtocolVersion.Slurm2205;

    public void Pack(SlurmWriter writer)
    {
        writer.WriteU16(Version);
        writer.WriteU16(Flags);
        if (HasMessageIndex(Version))
            writer.WriteU16(0);
        writer.WriteU16(MessageType);
        writer.WriteU32(BodyLength);
        if (Forward is null)
            writer.WriteU16(0);
        else
            Forward.Pack(writer);
        writer.WriteU16(ReturnCount);
        OriginAddress.Pack(writer);
    }

    /// <summary>
    /// Unpacks a header. Unknown versions are refused here, as check_header_version() does, because
    /// the rest of the layout depends on the version. ret_data entries are never used on dbd
    /// connections and are refused rather than parsed.
    /// </summary>
    public static SlurmHeader Unpack(ref SlurmReader reader)
    {
        int at = reader.Position;
        ushort version = reader.ReadU16();
        if (!ProtocolVersion.IsAcceptedInHeader(version))
            throw new WireFormatException(at, $"unsupported header protocol version {version}");
        ushort flags = reader.ReadU16();
        if (HasMessageIndex(version))
            reader.ReadU16();
        ushort messageType = reader.ReadU16();
        uint bodyLength = reader.ReadU32();
        var forward = ForwardInfo.Unpack(ref reader);
        int returnCountAt = reader.Position;
        ushort returnCount = reader.ReadU16();
        if (returnCount > 0)
            throw new WireFormatException(returnCountAt, $"header carries {returnCount} ret_data entries");
        var address = SlurmAddress.Unpack(ref reader);
        return new SlurmHeader(version, flags, messageType, bodyLength, forward, returnCount, address);
    }
}

/// <summary>Message forwarding of the header; never used on dbd connections but part of the layout.</summary>
public sealed record ForwardInfo(ushort Count, string? NodeList, uint Timeout, ushort TreeWidth)
{
    public void Pack(SlurmWriter writer)
    {
        writer.WriteU16(Count);
        writer.WriteString(NodeList);
        writer.WriteU32(Timeout);
        writer.WriteU16(TreeWidth);
    }

    public static ForwardInfo? Unpack(ref SlurmReader reader)
    {
        ushort count = reader.ReadU16();
        return count == 0 ? null : new ForwardInfo(count, reader.ReadString(), reader.ReadU32(), reader.ReadU16());
    }
}
