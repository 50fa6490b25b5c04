using System.Buffers.Binary;
using Accounting.Model.Messages;
using Accounting.Model.Wire;
using Accounting.Tests.Support;

namespace Accounting.Tests.Model.Messages;

/// <summary>
/// Truncated, mutated or lying entity messages only ever fail with <see cref="WireFormatException"/>, and
/// counts that cannot fit in what is left are refused before anything is allocated for them.
/// </summary>
public sealed class MalformedEntityInputTests
{
    private static readonly string[] EntityOperations =
        ["add_account", "add_account_chem", "add_user", "show_user", "show_account", "show_event", "modify_account_chem", "remove_account_chem"];

    private static readonly HashSet<ushort> MessageTypesWithoutBody = [(ushort)DbdMessageType.Fini, (ushort)DbdMessageType.PersistRc];

    private static IEnumerable<byte[]> EntityPayloads() => EntityOperations
        .SelectMany(operation => CapturedConversation.Load(operation))
        .Where(m => (m.Sequence > 0 || m.Direction == "s2c") && !MessageTypesWithoutBody.Contains(m.FirstU16))
        .Select(m => m.Payload);

    private static IEnumerable<byte[]> PushPayloads() =>
        Enumerable.Range(1, 4).SelectMany(connection => CapturedConversation.Load("dbd_to_ctld", connection)).Select(m => m.Payload);

    /// <summary>Decoding either succeeds or throws WireFormatException; anything else fails the test.</summary>
    private static void DecodeOrRefuse(Action decode)
    {
        try
        {
            decode();
        }
        catch (WireFormatException)
        {
        }
    }

    [Fact]
    public void Every_truncation_of_a_captured_entity_message_is_refused_as_malformed()
    {
        foreach (byte[] payload in EntityPayloads())
            for (int length = 0; length < payload.Length; length++)
                Assert.Throws<WireFormatException>(() => DbdMessageDecoder.Decode(payload.AsSpan(0, length), ProtocolVersion.Current));
    }

    [Fact]
    public void Every_truncation_of_a_captured_push_is_refused_as_malformed()
    {
        foreach (byte[] payload in PushPayloads())
            for (int length = 0; length < payload.Length; length++)
                Assert.Throws<WireFormatException>(() => SlurmRpcMessage.Unpack(payload.AsSpan(0, length)));
    }

    [Fact]
    public void Mutated_entity_messages_and_pushes_decode_or_fail_only_as_malformed()
    {
        var random = new Random(2205);
        uint[] words = [0, 1, 0x7F, 0xFFFF, 0x7FFFFFFF, SlurmValues.NoVal, SlurmValues.Infinite, 0x40000000];
        foreach (var (payload, isPush) in EntityPayloads().Select(p => (p, false)).Concat(PushPayloads().Select(p => (p, true))))
            for (int round = 0; round < 300; round++)
            {
                byte[] mutated = (byte[])payload.Clone();
                int at = random.Next(2, mutated.Length - 3);
                if (random.Next(2) == 0)
                    BinaryPrimitives.WriteUInt32BigEndian(mutated.AsSpan(at), words[random.Next(words.Length)]);
                else
                    mutated[at] ^= (byte)(1 << random.Next(8));
                DecodeOrRefuse(isPush
                    ? () => SlurmRpcMessage.Unpack(mutated)
                    : () => DbdMessageDecoder.Decode(mutated, ProtocolVersion.Current));
            }
    }

    [Theory]
    [InlineData(DbdMessageType.GotUsers)]
    [InlineData(DbdMessageType.GotAccounts)]
    [InlineData(DbdMessageType.GotEvents)]
    [InlineData(DbdMessageType.GotTxn)]
    [InlineData(DbdMessageType.GotWckeys)]
    [InlineData(DbdMessageType.GotRes)]
    public void A_list_count_larger_than_the_bytes_left_is_refused_before_reading_records(DbdMessageType type)
    {
        // Count 0x00FFFFFF followed by 64 bytes: would be 16 M records of at least 24 bytes each.
        byte[] message = new byte[2 + 4 + 64];
        BinaryPrimitives.WriteUInt16BigEndian(message, (ushort)type);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(2), 0x00FFFFFF);

        var refusal = Assert.Throws<WireFormatException>(() => DbdMessageDecoder.Decode(message, ProtocolVersion.Current));
        Assert.Equal(2, refusal.Offset);
    }

    [Fact]
    public void An_account_coordinator_count_of_no_val_is_malformed_not_an_absent_list()
    {
        byte[] message = new byte[2 + 4 + 200];
        BinaryPrimitives.WriteUInt16BigEndian(message, (ushort)DbdMessageType.AddAccountCoords);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(2), SlurmValues.NoVal);

        Assert.Throws<WireFormatException>(() => DbdMessageDecoder.Decode(message, ProtocolVersion.Current));
    }

    [Fact]
    public void A_push_with_an_unknown_update_type_or_an_update_count_of_no_val_is_malformed()
    {
        Assert.Throws<WireFormatException>(() => UnpackUpdate("00000001" + "0063" + "00000000"));
        Assert.Throws<WireFormatException>(() => UnpackUpdate("FFFFFFFE"));
    }

    [Fact]
    public void A_push_header_of_another_version_or_with_the_dbd_prefix_flag_is_refused()
    {
        byte[] payload = PushPayloads().First();
        byte[] older = (byte[])payload.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(older, ProtocolVersion.Slurm2108);
        byte[] prefixed = (byte[])payload.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(prefixed.AsSpan(2), SlurmHeader.FlagGlobalAuthKey | SlurmHeader.FlagSlurmdbdConnection);

        Assert.Throws<WireFormatException>(() => SlurmRpcMessage.Unpack(older));
        Assert.Throws<WireFormatException>(() => SlurmRpcMessage.Unpack(prefixed));
    }

    private static void UnpackUpdate(string bodyHex)
    {
        var reader = new SlurmReader(Convert.FromHexString(bodyHex));
        AccountingUpdateMessage.Unpack(ref reader);
    }
}
