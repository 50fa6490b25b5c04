using System.Buffers.Binary;
using Accounting.Model.Hashing;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Authentication;

/// <summary>
/// The munge payload binds a credential to one message body (_check_hash in slurm_protocol_api.c; wire
/// spec §4.3–4.4): empty (old senders), 0x01 + the message type, or 0x02 + KangarooTwelve(body) with the
/// big-endian message type as customization.
/// </summary>
public static class MessageHashCheck
{
    private const byte HashNone = 1;
    private const byte HashK12 = 2;
    private const int K12Length = 32;

    /// <summary>Returns null when the payload matches the body, else why not.</summary>
    public static string? Check(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> body, ushort messageType,
        ushort headerVersion, bool blockNullHash, bool blockZeroHash)
    {
        if (payload.IsEmpty)
            return blockNullHash ? "credential carries no message hash (block_null_hash)" : null;

        Span<byte> typeBigEndian = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(typeBigEndian, messageType);
        switch (payload[0])
        {
            case HashNone:
                if (blockZeroHash)
                    return "credential carries a type-only hash (block_zero_hash)";
                bool bigEndianMatch = payload.Length == 3 && payload[1..].SequenceEqual(typeBigEndian);
                bool littleEndianMatch = payload.Length == 3 && headerVersion <= ProtocolVersion.Slurm2108
                    && payload[1] == typeBigEndian[1] && payload[2] == typeBigEndian[0];
                return bigEndianMatch || littleEndianMatch ? null : "type-only hash does not name this message type";
            case HashK12:
                if (payload.Length != 1 + K12Length)
                    return $"K12 hash payload of {payload.Length} bytes";
                Span<byte> expected = stackalloc byte[K12Length];
                KangarooTwelve.Hash(body, typeBigEndian, expected);
                return expected.SequenceEqual(payload[1..]) ? null : "K12 hash does not match the message body";
            default:
                return $"unknown hash type {payload[0]}";
        }
    }

    /// <summary>The payload a 22.05 sender puts in its credential for this body.</summary>
    public static byte[] ComputeK12Payload(ReadOnlySpan<byte> body, ushort messageType)
    {
        Span<byte> typeBigEndian = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(typeBigEndian, messageType);
        var payload = new byte[1 + K12Length];
        payload[0] = HashK12;
        KangarooTwelve.Hash(body, typeBigEndian, payload.AsSpan(1));
        return payload;
    }
}
