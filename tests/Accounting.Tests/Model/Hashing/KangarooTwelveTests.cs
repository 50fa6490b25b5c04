using Accounting.Model.Hashing;
using Xunit;

namespace Accounting.Tests.Model.Hashing;

public class KangarooTwelveTests
{
    // Test vectors from RFC 9861 section 5 (KT128).

    [Fact]
    public void EmptyInput_32Bytes()
    {
        Assert.Equal(
            "1ac2d450fc3b4205d19da7bfca1b37513c0803577ac7167f06fe2ce1f0ef39e5",
            Hex(KangarooTwelve.Hash([], [])));
    }

    [Fact]
    public void EmptyInput_64Bytes()
    {
        Assert.Equal(
            "1ac2d450fc3b4205d19da7bfca1b37513c0803577ac7167f06fe2ce1f0ef39e5"
            + "4269c056b8c82e48276038b6d292966cc07a3d4645272e31ff38508139eb0a71",
            Hex(KangarooTwelve.Hash([], [], 64)));
    }

    [Fact]
    public void EmptyInput_10032Bytes_LastBlockOfOutput()
    {
        byte[] output = KangarooTwelve.Hash([], [], 10032);
        Assert.Equal(
            "e8dc563642f7228c84684c898405d3a834799158c079b12880277a1d28e2ff6d",
            Hex(output.AsSpan(10000)));
    }

    // ptn(17^i) for i = 0..6: 17^4 and beyond exercise tree mode with many chunks.
    [Theory]
    [InlineData(1, "2bda92450e8b147f8a7cb629e784a058efca7cf7d8218e02d345dfaa65244a1f")]
    [InlineData(17, "6bf75fa2239198db4772e36478f8e19b0f371205f6a9a93a273f51df37122888")]
    [InlineData(17 * 17, "0c315ebcdedbf61426de7dcf8fb725d1e74675d7f5327a5067f367b108ecb67c")]
    [InlineData(17 * 17 * 17, "cb552e2ec77d9910701d578b457ddf772c12e322e4ee7fe417f92c758f0d59d0")]
    [InlineData(17 * 17 * 17 * 17, "8701045e22205345ff4dda05555cbb5c3af1a771c2b89baef37db43d9998b9fe")]
    [InlineData(17 * 17 * 17 * 17 * 17, "844d610933b1b9963cbdeb5ae3b6b05cc7cbd67ceedf883eb678a0a8e0371682")]
    [InlineData(17 * 17 * 17 * 17 * 17 * 17, "3c390782a8a4e89fa6367f72feaaf13255c8d95878481d3cd8ce85f58e880af8")]
    public void PatternMessage(int length, string expected)
    {
        Assert.Equal(expected, Hex(KangarooTwelve.Hash(Pattern(length), [])));
    }

    // M = 0xFF repeated 2^i - 1 times, C = ptn(41^i), for i = 0..3; the last puts the chunk
    // boundary inside the customization string.
    [Theory]
    [InlineData(0, 1, "fab658db63e94a246188bf7af69a133045f46ee984c56e3c3328caaf1aa1a583")]
    [InlineData(1, 41, "d848c5068ced736f4462159b9867fd4c20b808acc3d5bc48e0b06ba0a3762ec4")]
    [InlineData(3, 41 * 41, "c389e5009ae57120854c2e8c64670ac01358cf4c1baf89447a724234dc7ced74")]
    [InlineData(7, 41 * 41 * 41, "75d2f86a2e644566726b4fbcfc5657b9dbcf070c7b0dca06450ab291d7443bcf")]
    public void Customization(int messageLength, int customizationLength, string expected)
    {
        byte[] message = Enumerable.Repeat((byte)0xFF, messageLength).ToArray();
        Assert.Equal(expected, Hex(KangarooTwelve.Hash(message, Pattern(customizationLength))));
    }

    // Chunk boundaries: S = M || C || length_encode(|C|) is 8192, 8193, 16384 and 16385 bytes long,
    // i.e. the largest single node, the smallest tree, and a tree whose last leaf is full or one byte.
    [Theory]
    [InlineData(8191, 0, "1b577636f723643e990cc7d6a659837436fd6a103626600eb8301cd1dbe553d6")]
    [InlineData(8192, 0, "48f256f6772f9edfb6a8b661ec92dc93b95ebd05a08a17b39ae3490870c926c3")]
    [InlineData(8192, 8189, "3ed12f70fb05ddb58689510ab3e4d23c6c6033849aa01e1d8c220a297fedcd0b")]
    [InlineData(8192, 8190, "6a7c1b6a5cd0d8c9ca943a4a216cc64604559a2ea45f78570a15253d67ba00ae")]
    public void ChunkBoundary(int messageLength, int customizationLength, string expected)
    {
        Assert.Equal(expected, Hex(KangarooTwelve.Hash(Pattern(messageLength), Pattern(customizationLength))));
    }

    // Slurm 22.05 munge payloads: the message body hashed with the message type (0x1964) as customization.
    [Theory]
    [InlineData("260000000006616c7068610000010000", "b1609a4f7b7ce625e8d2c5ced40217ddb66936d408802a827cbbfe53f40c63f2")]
    [InlineData("26000000000670726f62650000010000", "c771934aabbf4ed9fe4c9d68f7dedcaaa97bd8059e17a5bc0245b0d0660f0f6d")]
    public void SlurmMessageBody(string bodyHex, string expected)
    {
        Assert.Equal(expected, Hex(KangarooTwelve.Hash(Convert.FromHexString(bodyHex), [0x19, 0x64])));
    }

    [Fact]
    public void SpanOverload_FillsTheWholeDestination()
    {
        byte[] message = Pattern(17 * 17 * 17 * 17);
        Span<byte> output = stackalloc byte[200];
        KangarooTwelve.Hash(message, [], output);
        Assert.Equal(KangarooTwelve.Hash(message, [], 200), output.ToArray());
    }

    [Fact]
    public void EmptyOutput_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => KangarooTwelve.Hash([], [], Span<byte>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => KangarooTwelve.Hash([], [], 0));
    }

    // ptn(n) from RFC 9861: the bytes 00 01 .. FA repeated.
    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
            bytes[i] = (byte)(i % 251);
        return bytes;
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
