using System.Buffers.Binary;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;

namespace Accounting.Tests.Dbd.Server;

/// <summary>
/// Every malformed input gets slurmdbd's answer (wire spec §5.6) or a closed connection and a log line,
/// and the daemon goes on serving everybody else.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class BadInputTests(SharedServices services)
{
    private static readonly IDbdMessage GetAllTres =
        new ConditionMessage<TresCondition>(DbdMessageType.GetTres, new TresCondition(0, null, null, null, null, 0));

    private static async Task AssertStillServesAsync(RunningDaemon daemon)
    {
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);
        var tres = Assert.IsType<ListMessage<TresRecord>>(await client.RequestAsync(GetAllTres));
        Assert.Equal(8, tres.Items!.Count);
    }

    [Fact]
    public async Task A_frame_shorter_than_announced_gets_bad_offset_and_a_close()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);

        var frame = new byte[4 + 10];
        BinaryPrimitives.WriteUInt32BigEndian(frame, 100);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), (ushort)DbdMessageType.GetTres);
        await client.SendRawAsync(frame);
        client.EndSending();

        var reply = Assert.IsType<PersistRc>(DbdMessageDecoder.Decode((await client.ReadFrameAsync())!, ProtocolVersion.Current));
        Assert.Equal((SlurmError.Error, "Bad offset", (ushort)0), (reply.ReturnCode, reply.Comment, reply.RetInfo));
        Assert.Null(await client.ReadFrameAsync());
        Assert.Contains("of 100 announced bytes", daemon.Log());
        await AssertStillServesAsync(daemon);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(0x40000001u)]
    [InlineData(0xFFFFFFFFu)]
    public async Task A_length_prefix_outside_slurms_limits_closes_the_connection_without_reading_on(uint length)
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        await using (var client = await DbdClient.ConnectAsync(daemon.EndPoint))
        {
            var prefix = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(prefix, length);
            await client.SendRawAsync(prefix);
            Assert.Null(await client.ReadFrameAsync());
        }
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore < 16 * 1024 * 1024, "a bogus length must not be allocated");
        Assert.Contains($"frame length {length} is outside", daemon.Log());
        await AssertStillServesAsync(daemon);
    }

    [Fact]
    public async Task A_huge_but_legal_length_costs_only_the_bytes_that_arrive()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        await using (var client = await DbdClient.ConnectAsync(daemon.EndPoint))
        {
            var prefix = new byte[4 + 16];
            BinaryPrimitives.WriteUInt32BigEndian(prefix, 0x3FFFFFFF);
            await client.SendRawAsync(prefix);
            client.EndSending();
            await client.ReadFrameAsync();
        }
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore < 16 * 1024 * 1024, "a 1 GiB announcement must not allocate 1 GiB");
        await AssertStillServesAsync(daemon);
    }

    [Fact]
    public async Task Garbage_as_the_first_message_is_refused_as_slurmdbd_refuses_it()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        await client.SendFrameAsync("garbage bytes, not a message"u8.ToArray());

        var reply = Assert.IsType<PersistRc>(DbdMessageDecoder.Decode((await client.ReadFrameAsync())!, ProtocolVersion.Current));
        Assert.Equal((SlurmError.Einval, "Initial RPC not REQUEST_PERSIST_INIT", (ushort)6500), (reply.ReturnCode, reply.Comment, reply.RetInfo));
        Assert.Null(await client.ReadFrameAsync());
        await AssertStillServesAsync(daemon);
    }

    [Fact]
    public async Task An_unknown_header_version_fails_to_unpack_the_init()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        var init = DbdClient.Encode(DbdClient.NoneInit());
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(2), 9984);

        await client.SendFrameAsync(init);

        var reply = Assert.IsType<PersistRc>(DbdMessageDecoder.Decode((await client.ReadFrameAsync())!, ProtocolVersion.Current));
        Assert.Equal((SlurmError.Error, "Failed to unpack SLURM_PERSIST_INIT message", (ushort)6500), (reply.ReturnCode, reply.Comment, reply.RetInfo));
        Assert.Contains("unsupported header protocol version 9984", daemon.Log());
    }

    [Fact]
    public async Task An_older_client_version_is_told_the_versions_do_not_match()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);

        var reply = await client.InitAsync(DbdClient.NoneInit(version: ProtocolVersion.Slurm2108));

        Assert.Equal((SlurmError.ProtocolVersionError, (ushort)6500), (reply.ReturnCode, reply.RetInfo));
        Assert.Null(await client.ReadFrameAsync());
    }

    [Fact]
    public async Task An_unknown_message_type_fails_to_unpack_and_the_connection_stays_usable()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);

        await client.SendFrameAsync(new byte[] { 0x05, 0xB0, 1, 2, 3 });
        var unknown = Assert.IsType<PersistRc>(await client.ReadMessageAsync());
        await client.SendFrameAsync(new byte[] { 0x05, 0xCE, 0, 0 });
        var truncated = Assert.IsType<PersistRc>(await client.ReadMessageAsync());

        Assert.Equal((SlurmError.Error, "Failed to unpack DBD_MODIFY_WCKEYS message", (ushort)1456), (unknown.ReturnCode, unknown.Comment, unknown.RetInfo));
        Assert.Equal((SlurmError.Error, "Failed to unpack DBD_GET_TRES message", (ushort)1486), (truncated.ReturnCode, truncated.Comment, truncated.RetInfo));
        Assert.Matches(@"127\.0\.0\.1:\d+ uid 0 cluster alpha: DBD_GET_TRES does not unpack: u64 needs 8 bytes, 2 left at offset 2", daemon.Log());
        Assert.IsType<ListMessage<TresRecord>>(await client.RequestAsync(GetAllTres));
    }

    [Fact]
    public async Task A_second_init_on_an_established_connection_is_refused()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);

        var again = await client.InitAsync(DbdClient.NoneInit());

        Assert.Equal((SlurmError.Einval, "REQUEST_PERSIST_INIT sent after connection established"), (again.ReturnCode, again.Comment));
        Assert.IsType<ListMessage<TresRecord>>(await client.RequestAsync(GetAllTres));
    }

    [Fact]
    public async Task A_client_that_never_says_anything_is_closed_while_others_are_served()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none", "MessageTimeout=1");
        await using var silent = await DbdClient.ConnectAsync(daemon.EndPoint);

        await AssertStillServesAsync(daemon);

        Assert.Null(await silent.ReadFrameAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("no REQUEST_PERSIST_INIT within 1 s", daemon.Log());
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_message_does_not_disturb_the_others()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using (var client = await DbdClient.ConnectAsync(daemon.EndPoint))
        {
            Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);
            var half = new byte[4 + 3];
            BinaryPrimitives.WriteUInt32BigEndian(half, 28);
            await client.SendRawAsync(half);
        }
        await AssertStillServesAsync(daemon);
    }

    [Fact]
    public async Task A_reply_type_sent_as_a_request_is_an_invalid_rpc()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);

        var reply = Assert.IsType<PersistRc>(await client.RequestAsync(new ListMessage<TresRecord>(DbdMessageType.GotTres, [])));

        Assert.Equal((SlurmError.Einval, "Invalid RPC", (ushort)0), (reply.ReturnCode, reply.Comment, reply.RetInfo));
    }
}
