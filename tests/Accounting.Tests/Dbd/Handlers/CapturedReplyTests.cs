using Accounting.Model.Wire;
using Accounting.Tests.Support;

namespace Accounting.Tests.Dbd.Handlers;

/// <summary>
/// The captured requests of the real sacctmgr, replayed against our daemon on a fresh database, get the
/// same reply bytes the real slurmdbd sent for them.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class CapturedReplyTests(SharedServices services)
{
    [Theory]
    [InlineData("show_tres", DbdMessageType.GetTres)]
    [InlineData("show_qos", DbdMessageType.GetTres)]
    [InlineData("show_qos", DbdMessageType.GetQos)]
    [InlineData("show_cluster_before_ctld", DbdMessageType.Fini)]
    public async Task A_captured_request_gets_the_captured_reply(string operation, DbdMessageType type)
    {
        var conversation = CapturedConversation.Load(operation);
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);

        // The closing DBD_FINI is never answered by a client that waits; only answered requests count.
        var requests = conversation.Where(m => m.Direction == "c2s" && m.FirstU16 == (ushort)type)
            .Where(m => conversation.Any(reply => reply.Direction == "s2c" && reply.Sequence == m.Sequence)).ToList();
        Assert.NotEmpty(requests);
        foreach (var request in requests)
        {
            var expected = conversation.Single(m => m.Direction == "s2c" && m.Sequence == request.Sequence);
            await client.SendFrameAsync(request.Payload);
            Assert.Equal(Convert.ToHexString(expected.Payload), Convert.ToHexString((await client.ReadFrameAsync())!));
        }
    }
}
