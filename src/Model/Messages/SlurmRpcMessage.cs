using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// A full slurm_msg as slurmdbd and slurmctld exchange it outside the persistent connection (wire spec §3,
/// §4, Appendix A): the header without the dbd type prefix (flags SLURM_GLOBAL_AUTH_KEY only), the
/// credential, the body. Both directions carry a credential. The body bytes are kept because auth/munge
/// binds the credential to them (K12 of the body, §4.3), so the credential is made after the body is packed.
/// </summary>
public sealed record SlurmRpcMessage(SlurmHeader Header, AuthCredential Credential, ISlurmRpcBody Body, byte[] BodyBytes)
{
    public void Pack(SlurmWriter writer)
    {
        Header.Pack(writer);
        Credential.Pack(writer);
        writer.WriteRaw(BodyBytes);
    }

    /// <summary>Builds a 22.05 message with the body packed and its length filled in.</summary>
    public static SlurmRpcMessage Create(ISlurmRpcBody body, AuthCredential credential)
    {
        var bodyWriter = new SlurmWriter();
        body.Pack(bodyWriter);
        var header = new SlurmHeader(ProtocolVersion.Current, SlurmHeader.FlagGlobalAuthKey, (ushort)body.Type,
            (uint)bodyWriter.Length, null, 0, SlurmAddress.Unset);
        return new SlurmRpcMessage(header, credential, body, bodyWriter.WrittenSpan.ToArray());
    }

    /// <summary>Unpacks a whole frame payload (after the u32 length), starting at the header version.</summary>
    public static SlurmRpcMessage Unpack(ReadOnlySpan<byte> payload)
    {
        var reader = new SlurmReader(payload);
        var header = SlurmHeader.Unpack(ref reader);
        // The bodies have 22.05 layouts only; an older header would need older record layouts.
        if (header.Version != ProtocolVersion.Current)
            throw new WireFormatException(0, $"no layouts for protocol version {header.Version}");
        // With SLURMDBD_CONNECTION the sender would have put a type prefix before the version we just read.
        if ((header.Flags & SlurmHeader.FlagSlurmdbdConnection) != 0)
            throw new WireFormatException(2, "a dbd-prefixed message is not a one-shot RPC");
        var credential = AuthCredential.Unpack(ref reader);
        if (header.BodyLength > reader.Remaining)
            throw new WireFormatException(reader.Position, $"body_length {header.BodyLength} exceeds the {reader.Remaining} bytes left");
        var bodyBytes = payload.Slice(reader.Position, (int)header.BodyLength);
        var bodyReader = new SlurmReader(bodyBytes);
        ISlurmRpcBody body = (SlurmMessageType)header.MessageType switch
        {
            SlurmMessageType.AccountingUpdateMsg => AccountingUpdateMessage.Unpack(ref bodyReader),
            SlurmMessageType.ResponseSlurmRc => ResponseSlurmRc.Unpack(ref bodyReader),
            _ => throw new WireFormatException(4, $"no layout for slurm message type {header.MessageType}"),
        };
        return new SlurmRpcMessage(header, credential, body, bodyBytes.ToArray());
    }
}
