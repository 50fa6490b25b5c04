using System.Buffers.Binary;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Server;

public enum FrameStatus
{
    Complete,
    EndOfStream,
    BadLength,
    Truncated,
}

/// <summary>What one read of a frame found.</summary>
public readonly record struct Frame(FrameStatus Status, ReadOnlyMemory<byte> Payload, uint AnnouncedLength, int ReceivedLength);

/// <summary>
/// Reads frames of u32 big-endian length + payload (wire spec §2). A length outside 2..1 GiB is refused
/// before anything is allocated, and the buffer grows only as bytes actually arrive, so a lying length
/// costs a sender as much memory as it sends.
/// </summary>
public sealed class FrameReader(Stream stream, Action? afterEachRead = null)
{
    private const int InitialChunk = 64 * 1024;
    private const int KeptBufferLimit = 4 * 1024 * 1024;

    private byte[] _buffer = new byte[1024];
    private readonly byte[] _length = new byte[4];

    public async Task<Frame> ReadAsync(CancellationToken cancellation)
    {
        if (_buffer.Length > KeptBufferLimit)
            _buffer = new byte[1024];

        int got = await ReadAtLeastAsync(_length, 4, cancellation).ConfigureAwait(false);
        if (got == 0)
            return new Frame(FrameStatus.EndOfStream, default, 0, 0);
        if (got < 4)
            return new Frame(FrameStatus.Truncated, default, 0, got);

        uint length = BinaryPrimitives.ReadUInt32BigEndian(_length);
        if (length < 2 || length > SlurmValues.MaxMessageSize)
            return new Frame(FrameStatus.BadLength, default, length, 0);

        int received = 0;
        while (received < length)
        {
            if (received == _buffer.Length)
                Array.Resize(ref _buffer, (int)Math.Min(Math.Max((long)_buffer.Length * 2, InitialChunk), length));
            int want = (int)Math.Min(length, _buffer.Length) - received;
            int read = await stream.ReadAsync(_buffer.AsMemory(received, want), cancellation).ConfigureAwait(false);
            if (read == 0)
                return new Frame(FrameStatus.Truncated, default, length, received);
            afterEachRead?.Invoke();
            received += read;
        }
        return new Frame(FrameStatus.Complete, _buffer.AsMemory(0, (int)length), length, received);
    }

    private async Task<int> ReadAtLeastAsync(byte[] target, int count, CancellationToken cancellation)
    {
        int total = 0;
        while (total < count)
        {
            int read = await stream.ReadAsync(target.AsMemory(total, count - total), cancellation).ConfigureAwait(false);
            if (read == 0)
                break;
            afterEachRead?.Invoke();
            total += read;
        }
        return total;
    }
}
