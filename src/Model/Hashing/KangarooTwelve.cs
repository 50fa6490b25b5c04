using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Accounting.Model.Hashing;

/// <summary>
/// KT128 (KangarooTwelve) as specified in RFC 9861. Slurm 22.05 puts a KT128 hash of each message
/// body into its munge credential, with the big-endian message type as customization string.
/// </summary>
public static class KangarooTwelve
{
    // S is cut into 8 KiB chunks; anything longer than one chunk is hashed in tree mode.
    private const int ChunkSize = 8192;
    private const int ChainingValueSize = 32;

    // TurboSHAKE128 domain separation bytes used by KT128 (RFC 9861 section 3.2).
    private const byte SingleNodeDomain = 0x07;
    private const byte LeafDomain = 0x0B;
    private const byte FinalNodeDomain = 0x06;

    /// <summary>Returns KT128(message, customization, outputLength).</summary>
    public static byte[] Hash(ReadOnlySpan<byte> message, ReadOnlySpan<byte> customization, int outputLength = 32)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputLength);
        var output = new byte[outputLength];
        Hash(message, customization, output);
        return output;
    }

    /// <summary>Writes KT128(message, customization, output.Length) into <paramref name="output"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> message, ReadOnlySpan<byte> customization, Span<byte> output)
    {
        if (output.IsEmpty)
            throw new ArgumentException("KT128 output must be at least one byte.", nameof(output));

        // S = M || C || length_encode(|C|), streamed piecewise so that no concatenation is allocated.
        Span<byte> encodedLength = stackalloc byte[sizeof(ulong) + 1];
        encodedLength = encodedLength[..LengthEncode((ulong)customization.Length, encodedLength)];

        var tree = new TreeHash();
        tree.Absorb(message);
        tree.Absorb(customization);
        tree.Absorb(encodedLength);
        tree.Finish(output);
    }

    /// <summary>
    /// length_encode from RFC 9861: the value as big-endian bytes without leading zeros, then the
    /// count of those bytes (so 0 encodes as the single byte 0x00). Returns the bytes written.
    /// </summary>
    private static int LengthEncode(ulong value, Span<byte> destination)
    {
        int length = 0;
        for (ulong rest = value; rest != 0; rest >>= 8)
            length++;
        for (int i = 0; i < length; i++)
            destination[i] = (byte)(value >> (8 * (length - 1 - i)));
        destination[length] = (byte)length;
        return length + 1;
    }

    /// <summary>
    /// Incremental KT128 over S. The first chunk goes straight into the final node, which is exactly
    /// what single-node mode hashes too, so the mode only needs deciding once S outgrows that chunk.
    /// </summary>
    private struct TreeHash
    {
        private TurboShake128 _finalNode;
        private TurboShake128 _leaf;
        private long _length;
        private int _leafLength;
        private ulong _leafCount;

        public void Absorb(ReadOnlySpan<byte> data)
        {
            while (!data.IsEmpty)
            {
                int taken;
                if (_length < ChunkSize)
                {
                    taken = Math.Min(ChunkSize - (int)_length, data.Length);
                    _finalNode.Absorb(data[..taken]);
                }
                else
                {
                    // A byte beyond the first chunk: the final node now continues as S_0 || 0x03 || 0x00^7.
                    if (_length == ChunkSize)
                        _finalNode.Absorb([0x03, 0, 0, 0, 0, 0, 0, 0]);

                    taken = Math.Min(ChunkSize - _leafLength, data.Length);
                    _leaf.Absorb(data[..taken]);
                    _leafLength += taken;
                    if (_leafLength == ChunkSize)
                        CompleteLeaf();
                }
                _length += taken;
                data = data[taken..];
            }
        }

        public void Finish(Span<byte> output)
        {
            if (_length <= ChunkSize)
            {
                _finalNode.Squeeze(SingleNodeDomain, output);
                return;
            }

            // Only the last chunk can be short; full ones were chained as soon as they filled up.
            if (_leafLength > 0)
                CompleteLeaf();

            Span<byte> suffix = stackalloc byte[sizeof(ulong) + 3];
            int suffixLength = LengthEncode(_leafCount, suffix);
            suffix[suffixLength++] = 0xFF;
            suffix[suffixLength++] = 0xFF;
            _finalNode.Absorb(suffix[..suffixLength]);
            _finalNode.Squeeze(FinalNodeDomain, output);
        }

        private void CompleteLeaf()
        {
            Span<byte> chainingValue = stackalloc byte[ChainingValueSize];
            _leaf.Squeeze(LeafDomain, chainingValue);
            _finalNode.Absorb(chainingValue);
            _leaf = default;
            _leafLength = 0;
            _leafCount++;
        }
    }

    /// <summary>TurboSHAKE128: a sponge over Keccak-p[1600, 12] with a 168-byte rate.</summary>
    private struct TurboShake128
    {
        private const int Rate = 168;
        private const int RateLanes = Rate / sizeof(ulong);

        private KeccakState _state;
        private int _offset; // bytes already absorbed into the current block

        public void Absorb(ReadOnlySpan<byte> data)
        {
            while (!data.IsEmpty)
            {
                int taken;
                if (_offset == 0 && data.Length >= Rate)
                {
                    // Whole blocks are the bulk of the work, so XOR them in lane by lane.
                    for (int i = 0; i < RateLanes; i++)
                        _state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(data[(i * sizeof(ulong))..]);
                    taken = Rate;
                    _offset = Rate;
                }
                else
                {
                    taken = Math.Min(Rate - _offset, data.Length);
                    foreach (byte b in data[..taken])
                        XorByte(_offset++, b);
                }
                if (_offset == Rate)
                {
                    KeccakP12(_state);
                    _offset = 0;
                }
                data = data[taken..];
            }
        }

        /// <summary>
        /// Ends the input with the domain byte D and the final 0x80 of the padding (they share a byte
        /// when the block is one short of full), then squeezes as many bytes as requested.
        /// </summary>
        public void Squeeze(byte domain, Span<byte> output)
        {
            XorByte(_offset, domain);
            XorByte(Rate - 1, 0x80);
            KeccakP12(_state);

            for (int i = 0; i < output.Length; i++)
            {
                int position = i % Rate;
                if (position == 0 && i > 0)
                    KeccakP12(_state);
                output[i] = (byte)(_state[position / sizeof(ulong)] >> (8 * (position % sizeof(ulong))));
            }
        }

        // Lanes hold state bytes little-endian, as FIPS 202 maps bit strings onto the state.
        private void XorByte(int position, byte value) =>
            _state[position / sizeof(ulong)] ^= (ulong)value << (8 * (position % sizeof(ulong)));
    }

    [InlineArray(25)]
    private struct KeccakState
    {
        private ulong _lane;
    }

    // ι constants of Keccak-f[1600] rounds 12..23: Keccak-p[1600, 12] is the last 12 of its 24 rounds.
    private static readonly ulong[] RoundConstants =
    [
        0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
        0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
        0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ];

    // π moves every lane except (0,0) along one 24-step cycle. Walking that cycle from lane (1,0)
    // lets ρ and π run in place: step t carries the lane found there to PiTargets[t], rotated by
    // RhoOffsets[t]. Both tables are derived from the FIPS 202 definitions rather than typed in.
    private static readonly int[] RhoOffsets = [.. Enumerable.Range(0, 24).Select(t => (t + 1) * (t + 2) / 2 % 64)];
    private static readonly int[] PiTargets = WalkPiCycle();

    private static int[] WalkPiCycle()
    {
        var targets = new int[24];
        int x = 1, y = 0;
        for (int t = 0; t < targets.Length; t++)
        {
            // π sends the lane at (x, y) to (y, 2x + 3y).
            (x, y) = (y, (2 * x + 3 * y) % 5);
            targets[t] = x + 5 * y;
        }
        return targets;
    }

    private static void KeccakP12(Span<ulong> a)
    {
        for (int round = 0; round < 12; round++)
        {
            // θ: XOR each lane with the parities of its two neighbouring columns.
            ulong c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20];
            ulong c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21];
            ulong c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22];
            ulong c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23];
            ulong c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24];
            ulong d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
            ulong d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
            ulong d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
            ulong d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
            ulong d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
            for (int row = 0; row < 25; row += 5)
            {
                a[row] ^= d0;
                a[row + 1] ^= d1;
                a[row + 2] ^= d2;
                a[row + 3] ^= d3;
                a[row + 4] ^= d4;
            }

            // ρ and π together, following the π cycle.
            ulong carried = a[1];
            for (int t = 0; t < 24; t++)
            {
                int target = PiTargets[t];
                ulong displaced = a[target];
                a[target] = BitOperations.RotateLeft(carried, RhoOffsets[t]);
                carried = displaced;
            }

            // χ: the only non-linear step, applied to each row of five lanes.
            for (int row = 0; row < 25; row += 5)
            {
                ulong b0 = a[row], b1 = a[row + 1], b2 = a[row + 2], b3 = a[row + 3], b4 = a[row + 4];
                a[row] = b0 ^ (~b1 & b2);
                a[row + 1] = b1 ^ (~b2 & b3);
                a[row + 2] = b2 ^ (~b3 & b4);
                a[row + 3] = b3 ^ (~b4 & b0);
                a[row + 4] = b4 ^ (~b0 & b1);
            }

            // ι: a per-round constant, so that the rounds are not all alike.
            a[0] ^= RoundConstants[round];
        }
    }
}
