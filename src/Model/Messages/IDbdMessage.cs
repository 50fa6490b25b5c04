using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>A decoded DBD message: one type per message, pack/unpack only, no I/O.</summary>
public interface IDbdMessage
{
    DbdMessageType Type { get; }

    /// <summary>Packs the body (everything after the u16 message type) at the connection's version.</summary>
    void PackBody(SlurmWriter writer, ushort protocolVersion);
}

public static class DbdMessageFraming
{
    /// <summary>A persist-format message without the frame length: u16 type, then the body (wire spec §5.3).</summary>
    public static void Pack(IDbdMessage message, SlurmWriter writer, ushort protocolVersion)
    {
        writer.WriteU16((ushort)message.Type);
        message.PackBody(writer, protocolVersion);
    }

    /// <summary>A complete frame: u32 length of what follows, u16 type, body (wire spec §2).</summary>
    public static void PackFrame(IDbdMessage message, SlurmWriter writer, ushort protocolVersion)
    {
        int lengthAt = writer.ReserveU32();
        Pack(message, writer, protocolVersion);
        writer.PatchU32(lengthAt, (uint)(writer.Length - lengthAt - 4));
    }
}
