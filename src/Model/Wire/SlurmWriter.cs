using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Accounting.Model.Wire;

/// <summary>
/// Slurm's pack primitives (src/common/pack.c; wire spec §6) into a growable buffer. Big-endian throughout.
/// One writer is reused per connection: <see cref="Reset"/> keeps the buffer, so steady traffic allocates nothing.
/// </summary>
public sealed class SlurmWriter : IBufferWriter<byte>
{
    private byte[] _buffer;

    public SlurmWriter(int initialCapacity = 256) => _buffer = new byte[Math.Max(initialCapacity, 16)];

    public int Length { get; private set; }
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, Length);

    public void Reset() => Length = 0;

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _buffer.AsSpan(Length);
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _buffer.AsMemory(Length);
    }

    public void Advance(int count) => Length += count;

    private void EnsureCapacity(int extra)
    {
        long needed = (long)Length + extra;
        if (needed <= _buffer.Length)
            return;
        if (needed > Array.MaxLength)
            throw new InvalidOperationException($"message would exceed {Array.MaxLength} bytes");
        long grown = Math.Max(needed, Math.Min((long)_buffer.Length * 2, Array.MaxLength));
        Array.Resize(ref _buffer, (int)grown);
    }

    private Span<byte> Next(int count)
    {
        EnsureCapacity(count);
        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }

    public void WriteU8(byte value) => Next(1)[0] = value;
    public void WriteBool(bool value) => WriteU8(value ? (byte)1 : (byte)0);
    public void WriteU16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Next(2), value);
    public void WriteU32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Next(4), value);
    public void WriteU64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Next(8), value);
    public void WriteTime(long value) => BinaryPrimitives.WriteInt64BigEndian(Next(8), value);

    /// <summary>packdouble: the bit pattern of value × 1e6.</summary>
    public void WriteDouble(double value) => WriteU64((ulong)BitConverter.DoubleToInt64Bits(value * 1_000_000.0));

    public void WriteRaw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Next(bytes.Length));

    /// <summary>packmem: u32 length, then the bytes.</summary>
    public void WriteMemory(ReadOnlySpan<byte> bytes)
    {
        WriteU32((uint)bytes.Length);
        WriteRaw(bytes);
    }

    /// <summary>packstr: NULL is u32 0; otherwise u32 (bytes + 1) and the bytes with their NUL.</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteU32(0);
            return;
        }
        int byteCount = Encoding.UTF8.GetByteCount(value);
        WriteU32((uint)byteCount + 1);
        var span = Next(byteCount + 1);
        Encoding.UTF8.GetBytes(value, span);
        span[byteCount] = 0;
    }

    /// <summary>_pack_list_of_str: NULL list is u32 NO_VAL.</summary>
    public void WriteStringList(IReadOnlyCollection<string>? values)
    {
        if (values is null)
        {
            WriteU32(SlurmValues.NoVal);
            return;
        }
        WriteU32((uint)values.Count);
        foreach (var value in values)
            WriteString(value);
    }

    /// <summary>slurm_pack_list: NULL list is u32 NO_VAL, then count records.</summary>
    public void WriteList<T>(IReadOnlyCollection<T>? records) where T : IWireRecord<T>
    {
        if (records is null)
        {
            WriteU32(SlurmValues.NoVal);
            return;
        }
        WriteU32((uint)records.Count);
        foreach (var record in records)
            record.Pack(this);
    }

    public void WriteU32Array(IReadOnlyList<uint> values)
    {
        WriteU32((uint)values.Count);
        foreach (var value in values)
            WriteU32(value);
    }

    public void WriteU64Array(IReadOnlyList<ulong> values)
    {
        WriteU32((uint)values.Count);
        foreach (var value in values)
            WriteU64(value);
    }

    /// <summary>Reserves a u32 to be filled in later (a frame length, a count known only afterwards).</summary>
    public int ReserveU32() { int at = Length; Next(4); return at; }

    public void PatchU32(int at, uint value) => BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(at, 4), value);
}
