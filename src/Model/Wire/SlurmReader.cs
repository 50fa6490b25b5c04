using System.Buffers.Binary;
using System.Text;

namespace Accounting.Model.Wire;

/// <summary>
/// Slurm's unpack primitives (src/common/pack.c; wire spec §6) over one complete message body.
/// Everything is big-endian. A read past the end, or a length that cannot fit in what is left,
/// throws <see cref="WireFormatException"/> with the offset, so nothing is allocated from a bogus length.
/// </summary>
public ref struct SlurmReader(ReadOnlySpan<byte> buffer)
{
    private readonly ReadOnlySpan<byte> _buffer = buffer;

    public int Position { get; private set; }
    public readonly int Remaining => _buffer.Length - Position;

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count < 0 || count > Remaining)
            throw new WireFormatException(Position, $"{what} needs {count} bytes, {Remaining} left");
        var slice = _buffer.Slice(Position, count);
        Position += count;
        return slice;
    }

    public byte ReadU8() => Take(1, "u8")[0];
    public bool ReadBool() => ReadU8() != 0;
    public ushort ReadU16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2, "u16"));
    public uint ReadU32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4, "u32"));
    public ulong ReadU64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8, "u64"));

    /// <summary>pack_time: a time_t widened to signed 64 bits.</summary>
    public long ReadTime() => BinaryPrimitives.ReadInt64BigEndian(Take(8, "time"));

    /// <summary>packdouble: the bit pattern of value × 1e6 (wire spec §6.2).</summary>
    public double ReadDouble() => BitConverter.Int64BitsToDouble((long)ReadU64()) / 1_000_000.0;

    /// <summary>packmem: u32 length, then the bytes.</summary>
    public ReadOnlySpan<byte> ReadMemory()
    {
        int start = Position;
        uint length = ReadU32();
        if (length > SlurmValues.MaxMessageSize)
            throw new WireFormatException(start, $"memory length {length} exceeds 1 GiB");
        return Take((int)length, "memory");
    }

    /// <summary>packstr: length 0 is NULL; otherwise the bytes up to the first NUL inside the length.</summary>
    public string? ReadString()
    {
        var bytes = ReadMemory();
        if (bytes.IsEmpty)
            return null;
        int nul = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? bytes[..nul] : bytes);
    }

    /// <summary>
    /// A list count: NO_VAL means "no list" (null). A count that could not fit in the remaining bytes,
    /// at <paramref name="minimumRecordSize"/> bytes a record, is refused before anything is allocated.
    /// </summary>
    public int? ReadListCount(int minimumRecordSize)
    {
        int start = Position;
        uint count = ReadU32();
        if (count == SlurmValues.NoVal)
            return null;
        if ((ulong)count * (ulong)Math.Max(minimumRecordSize, 1) > (ulong)Remaining)
            throw new WireFormatException(start, $"list count {count} cannot fit in {Remaining} bytes");
        return (int)count;
    }

    /// <summary>_pack_list_of_str / packstr_array: u32 count (NO_VAL = none), then strings.</summary>
    public List<string>? ReadStringList()
    {
        int? count = ReadListCount(4);
        if (count is null)
            return null;
        var list = new List<string>(count.Value);
        for (int i = 0; i < count.Value; i++)
            list.Add(ReadString() ?? "");
        return list;
    }

    public List<T>? ReadList<T>() where T : IListRecord<T>
    {
        int? count = ReadListCount(T.MinimumPackedSize);
        if (count is null)
            return null;
        var list = new List<T>(count.Value);
        for (int i = 0; i < count.Value; i++)
            list.Add(T.Unpack(ref this));
        return list;
    }

    public uint[] ReadU32Array()
    {
        int count = ReadListCount(4) ?? 0;
        var values = new uint[count];
        for (int i = 0; i < count; i++)
            values[i] = ReadU32();
        return values;
    }

    public ulong[] ReadU64Array()
    {
        int count = ReadListCount(8) ?? 0;
        var values = new ulong[count];
        for (int i = 0; i < count; i++)
            values[i] = ReadU64();
        return values;
    }

    public ReadOnlySpan<byte> ReadRaw(int count) => Take(count, "bytes");
}
