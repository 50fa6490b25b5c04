using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Accounting.Dbd.Authentication;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;
using Dapper;

namespace Accounting.Tests.Dbd.Controllers;

/// <summary>
/// After a commit, registered controllers receive ACCOUNTING_UPDATE_MSG as a full slurm_msg with a munge
/// credential bound to the body; a controller that is not there is retried and disturbs nobody.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class ControllerNotifierTests(SharedServices services)
{
    private static async Task<DbdClient> ConnectAsync(RunningDaemon daemon, MungeClient munge)
    {
        var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.MungeInit(munge))).ReturnCode);
        return client;
    }

    private static async Task AddClusterAsync(DbdClient client)
    {
        await client.RequestAsync(new ListMessage<ClusterRecord>(DbdMessageType.AddClusters,
            [new ClusterRecord { Name = "alpha", FederationState = SlurmValues.NoVal }]));
        await client.RequestAsync(new FiniMessage(0, 1));
    }

    private static IDbdMessage AddFederation(string name) => new ListMessage<FederationRecord>(DbdMessageType.AddFederations,
        [new FederationRecord(true, name, FederationRecord.FlagNotSet, [new ClusterRecord { Name = "alpha", FederationState = SlurmValues.NoVal }])]);

    private void Register(RunningDaemon daemon, int port)
    {
        using var connection = services.MariaDb.Connect(daemon.Database);
        connection.Execute("UPDATE cluster SET control_host = '127.0.0.1', control_port = @Port, rpc_version = 9728 WHERE name = 'alpha'", new { Port = port });
    }

    [Fact]
    public async Task A_committed_federation_change_reaches_the_registered_controller_signed_for_its_body()
    {
        var munge = new MungeClient(services.Munge.Socket);
        await using var daemon = await RunningDaemon.StartAsync(services);
        using var controller = new TcpListener(IPAddress.Loopback, 0);
        controller.Start();
        await using var client = await ConnectAsync(daemon, munge);
        await AddClusterAsync(client);
        Register(daemon, ((IPEndPoint)controller.LocalEndpoint).Port);

        await client.RequestAsync(AddFederation("fed1"));
        var beforeCommit = controller.AcceptTcpClientAsync();
        await Task.Delay(300);
        Assert.False(beforeCommit.IsCompleted, "nothing is pushed before the commit");
        await client.RequestAsync(new FiniMessage(0, 1));

        using var pushed = await beforeCommit.WaitAsync(TimeSpan.FromSeconds(10));
        var stream = pushed.GetStream();
        var length = new byte[4];
        await stream.ReadExactlyAsync(length);
        var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(length)];
        await stream.ReadExactlyAsync(payload);
        var message = SlurmRpcMessage.Unpack(payload);
        var decoded = munge.Decode(((MungeCredential)message.Credential).Credential);
        Assert.True(decoded.Succeeded, decoded.ErrorMessage);
        Assert.Null(MessageHashCheck.Check(decoded.Payload, message.BodyBytes, message.Header.MessageType, message.Header.Version, false, false));

        var update = Assert.IsType<UpdateObject<FederationRecord>>(Assert.Single(((AccountingUpdateMessage)message.Body).Updates));
        Assert.Equal(UpdateType.UpdateFeds, update.Type);
        var federation = Assert.Single(update.Records!);
        Assert.Equal(("fed1", "alpha"), (federation.Name, Assert.Single(federation.ClusterList!).Name));

        var reply = SlurmRpcMessage.Create(new ResponseSlurmRc(0), new NoneCredential(0, 0, null));
        var writer = new SlurmWriter();
        int at = writer.ReserveU32();
        reply.Pack(writer);
        writer.PatchU32(at, (uint)(writer.Length - 4));
        await stream.WriteAsync(writer.WrittenMemory);
    }

    [Fact]
    public async Task An_unreachable_controller_is_retried_in_the_background_while_requests_go_on()
    {
        var munge = new MungeClient(services.Munge.Socket);
        await using var daemon = await RunningDaemon.StartAsync(services);
        await using var client = await ConnectAsync(daemon, munge);
        await AddClusterAsync(client);
        Register(daemon, FreePort.Next());

        await client.RequestAsync(AddFederation("fed1"));
        Assert.Equal(PersistRc.Ok(DbdMessageType.Fini), await client.RequestAsync(new FiniMessage(0, 1)));
        Assert.IsType<ListMessage<FederationRecord>>(await client.RequestAsync(
            new ConditionMessage<FederationCondition>(DbdMessageType.GetFederations, new FederationCondition(null, [], null, 0))));

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!daemon.Log().Contains("attempt 2 of 4") && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.Contains("update cluster alpha: Connection refused", daemon.Log());
        Assert.Contains("attempt 2 of 4", daemon.Log());
    }
}
