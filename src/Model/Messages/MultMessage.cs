using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// DBD_SEND_MULT_MSG and DBD_GOT_MULT_MSG (wire spec §8.4): a list of buffers, each an ordinary persist-format
/// message (u16 type + body, no frame length) packed with packmem, then u32 return_code. The buffers are kept
/// exactly as received, so each inner message can be decoded, answered and acknowledged on its own.
/// </summary>
public sealed record MultMessage(DbdMessageType Type, List<byte[]>? Buffers, int ReturnCode = SlurmError.Success) : IDbdMessage
{
    /// <summary>Packs each message as it would travel alone, in order.</summary>
    public static MultMessage FromMessages(DbdMessageType type, IEnumerable<IDbdMessage> messages, ushort protocolVersion)
    {
        var writer = new SlurmWriter();
        var buffers = new List<byte[]>();
        foreach (var message in messages)
        {
            writer.Reset();
            DbdMessageFraming.Pack(message, writer, protocolVersion);
            buffers.Add(writer.WrittenSpan.ToArray());
        }
        return new MultMessage(type, buffers);
    }

    /// <summary>
    /// Decodes the inner messages one at a time, in order, through <see cref="DbdMessageDecoder.Decode"/>. Lazy on
    /// purpose: the server answers the buffers before a malformed one (which throws
    /// <see cref="WireFormatException"/> when reached) and stops there, as slurmdbd does (wire spec §8.4).
    /// </summary>
    public IEnumerable<IDbdMessage> DecodeBuffers(ushort protocolVersion)
    {
        foreach (var buffer in Buffers ?? [])
            yield return DbdMessageDecoder.Decode(buffer, protocolVersion);
    }

    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        if (Buffers is null)
            writer.WriteU32(SlurmValues.NoVal);
        else
        {
            writer.WriteU32((uint)Buffers.Count);
            foreach (var buffer in Buffers)
                writer.WriteMemory(buffer);
        }
        writer.WriteU32((uint)ReturnCode);
    }

    /// <summary>A buffer takes at least its u32 length.</summary>
    public static MultMessage Unpack(DbdMessageType type, ref SlurmReader reader)
    {
        int? count = reader.ReadListCount(4);
        List<byte[]>? buffers = null;
        if (count is not null)
        {
            buffers = new List<byte[]>(count.Value);
            for (int i = 0; i < count.Value; i++)
                buffers.Add(reader.ReadMemory().ToArray());
        }
        return new MultMessage(type, buffers, (int)reader.ReadU32());
    }
}
