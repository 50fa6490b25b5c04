using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Accounting.Dbd.Spool;

/// <summary>
/// One spooled record on disk: magic, payload length, CRC-32 of the payload, payload. The payload is
/// sequence, arrival time, uid, protocol version, cluster, message, then peer and the db_index values the
/// job starts were answered with. A record whose
/// magic, length or checksum does not hold is where a crash cut the file (or the disk damaged it), so
/// reading stops there: nothing after a bad record is trusted.
/// </summary>
public static class SpoolFormat
{
    private const uint Magic = 0x53504C31; // "SPL1"
    public const int HeaderSize = 12;

    /// <summary>A record larger than this is not ours: the protocol's own limit is 1 GiB per message.</summary>
    private const int MaxPayload = 1 << 30;

    public static byte[] Encode(SpoolRecord record)
    {
        byte[] cluster = Encoding.UTF8.GetBytes(record.ClusterName);
        byte[] peer = Encoding.UTF8.GetBytes(record.Peer);
        int trailerLength = 2 + peer.Length + 4 + 8 * record.DbIndexes.Count;
        int payloadLength = 8 + 8 + 4 + 2 + 2 + cluster.Length + 4 + record.Message.Length + trailerLength;
        var bytes = new byte[HeaderSize + payloadLength];
        var payload = bytes.AsSpan(HeaderSize);
        BinaryPrimitives.WriteInt64LittleEndian(payload, record.Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(payload[8..], record.ArrivalTime);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[16..], record.Uid);
        BinaryPrimitives.WriteUInt16LittleEndian(payload[20..], record.ProtocolVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(payload[22..], (ushort)cluster.Length);
        cluster.CopyTo(payload[24..]);
        BinaryPrimitives.WriteInt32LittleEndian(payload[(24 + cluster.Length)..], record.Message.Length);
        record.Message.CopyTo(payload[(28 + cluster.Length)..]);
        var trailer = payload[(28 + cluster.Length + record.Message.Length)..];
        BinaryPrimitives.WriteUInt16LittleEndian(trailer, (ushort)peer.Length);
        peer.CopyTo(trailer[2..]);
        BinaryPrimitives.WriteInt32LittleEndian(trailer[(2 + peer.Length)..], record.DbIndexes.Count);
        for (int i = 0; i < record.DbIndexes.Count; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(trailer[(6 + peer.Length + 8 * i)..], record.DbIndexes[i]);

        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), Crc32.HashToUInt32(payload));
        return bytes;
    }

    /// <summary>Reads the record at the stream's position; null at the end or at a record that is not whole and sound.</summary>
    public static SpoolRecord? TryRead(Stream stream)
    {
        var header = new byte[HeaderSize];
        if (stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize)
            return null;
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic)
            return null;
        int length = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
        if (length < 34 || length > MaxPayload || length > stream.Length - stream.Position)
            return null;
        var payload = new byte[length];
        if (stream.ReadAtLeast(payload, length, throwOnEndOfStream: false) < length)
            return null;
        if (Crc32.HashToUInt32(payload) != BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8)))
            return null;

        int clusterLength = BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(22));
        if (28 + clusterLength > length)
            return null;
        int messageLength = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(24 + clusterLength));
        int trailerAt = 28 + clusterLength + messageLength;
        if (messageLength < 0 || trailerAt + 6 > length)
            return null;
        int peerLength = BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(trailerAt));
        if (trailerAt + 6 + peerLength > length)
            return null;
        int indexCount = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(trailerAt + 2 + peerLength));
        if (indexCount < 0 || trailerAt + 6 + peerLength + 8L * indexCount != length)
            return null;
        var indexes = new ulong[indexCount];
        for (int i = 0; i < indexCount; i++)
            indexes[i] = BinaryPrimitives.ReadUInt64LittleEndian(payload.AsSpan(trailerAt + 6 + peerLength + 8 * i));
        return new SpoolRecord(
            BinaryPrimitives.ReadInt64LittleEndian(payload),
            BinaryPrimitives.ReadInt64LittleEndian(payload.AsSpan(8)),
            Encoding.UTF8.GetString(payload, 24, clusterLength),
            BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(16)),
            BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(20)),
            payload.AsSpan(28 + clusterLength, messageLength).ToArray())
        {
            Peer = Encoding.UTF8.GetString(payload, trailerAt + 2, peerLength),
            DbIndexes = indexes,
        };
    }
}
