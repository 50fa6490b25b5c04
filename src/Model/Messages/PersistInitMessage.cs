using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// The first frame of a dbd connection: u16 type prefix (6500), the full slurm_msg header, the auth
/// credential and the init body (wire spec §3.1). The body bytes are kept because auth/munge binds the
/// credential to them (K12 hash in the munge payload, §4.3).
/// </summary>
public sealed record PersistInitMessage(SlurmHeader Header, AuthCredential Credential, PersistInitRequest Body, byte[] BodyBytes)
{
    public void Pack(SlurmWriter writer)
    {
        writer.WriteU16((ushort)DbdMessageType.PersistInit);
        Header.Pack(writer);
        Credential.Pack(writer);
        writer.WriteRaw(BodyBytes);
    }

    /// <summary>Builds the init a 22.05 client sends, with the body packed and its length filled in.</summary>
    public static PersistInitMessage Create(PersistInitRequest body, AuthCredential credential)
    {
        var bodyWriter = new SlurmWriter();
        body.Pack(bodyWriter);
        var header = new SlurmHeader(ProtocolVersion.Current,
            SlurmHeader.FlagGlobalAuthKey | SlurmHeader.FlagSlurmdbdConnection,
            (ushort)DbdMessageType.PersistInit, (uint)bodyWriter.Length, null, 0, SlurmAddress.Unset);
        return new PersistInitMessage(header, credential, body, bodyWriter.WrittenSpan.ToArray());
    }

    /// <summary>Unpacks the whole frame payload, starting at the u16 type prefix.</summary>
    public static PersistInitMessage Unpack(ReadOnlySpan<byte> payload)
    {
        var reader = new SlurmReader(payload);
        ushort prefix = reader.ReadU16();
        if (prefix != (ushort)DbdMessageType.PersistInit)
            throw new WireFormatException(0, $"first message is type {prefix}, not REQUEST_PERSIST_INIT");
        var header = SlurmHeader.Unpack(ref reader);
        if (header.MessageType != (ushort)DbdMessageType.PersistInit)
            throw new WireFormatException(6, $"header message type {header.MessageType} is not REQUEST_PERSIST_INIT");
        var credential = AuthCredential.Unpack(ref reader);
        if (header.BodyLength > reader.Remaining)
            throw new WireFormatException(reader.Position, $"body_length {header.BodyLength} exceeds the {reader.Remaining} bytes left");
        int bodyStart = reader.Position;
        var bodyBytes = payload.Slice(bodyStart, (int)header.BodyLength);
        var bodyReader = new SlurmReader(bodyBytes);
        var body = PersistInitRequest.Unpack(ref bodyReader);
        return new PersistInitMessage(header, credential, body, bodyBytes.ToArray());
    }
}
