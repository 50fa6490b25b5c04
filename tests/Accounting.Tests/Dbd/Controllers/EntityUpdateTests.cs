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
/// Entity changes reach registered controllers at commit as the update objects slurmdbd would push
/// (records spec §11.8): accounts and users with their associations, coordinators, QOS, and removals.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class EntityUpdateTests(SharedServices services)
{
    private static AssociationRecord Association(string account, string? user, string? parent = null) =>
        new() { Cluster = "alpha", Account = account, User = user, ParentAccount = parent, IsDefault = SlurmValues.NoVal16 };

    private static async Task<List<UpdateObject>> PushedAsync(TcpListener controller)
    {
        using var pushed = await controller.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var stream = pushed.GetStream();
        var length = new byte[4];
        await stream.ReadExactlyAsync(length);
        var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(length)];
        await stream.ReadExactlyAsync(payload);
        var reply = SlurmRpcMessage.Create(new ResponseSlurmRc(0), new NoneCredential(0, 0, null));
        var writer = new SlurmWriter();
        int at = writer.ReserveU32();
        reply.Pack(writer);
        writer.PatchU32(at, (uint)(writer.Length - 4));
        await stream.WriteAsync(writer.WrittenMemory);
        return ((AccountingUpdateMessage)SlurmRpcMessage.Unpack(payload).Body).Updates;
    }

    [Fact]
    public async Task Committed_account_user_coordinator_and_qos_changes_are_pushed_in_the_order_they_were_made()
    {
        var munge = new MungeClient(services.Munge.Socket);
        await using var daemon = await RunningDaemon.StartAsync(services);
        using var controller = new TcpListener(IPAddress.Loopback, 0);
        controller.Start();
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.MungeInit(munge))).ReturnCode);
        await client.RequestAsync(new ListMessage<ClusterRecord>(DbdMessageType.AddClusters,
            [new ClusterRecord { Name = "alpha", FederationState = SlurmValues.NoVal }]));
        await client.RequestAsync(new FiniMessage(0, 1));
        using (var connection = services.MariaDb.Connect(daemon.Database))
            connection.Execute("UPDATE cluster SET control_host = '127.0.0.1', control_port = @Port, rpc_version = 9728 WHERE name = 'alpha'",
                new { ((IPEndPoint)controller.LocalEndpoint).Port });

        Assert.Equal(PersistRc.Ok(DbdMessageType.AddAccounts), await client.RequestAsync(new ListMessage<AccountRecord>(DbdMessageType.AddAccounts,
            [new AccountRecord { Name = "physics", Description = "p", Organization = "o", AssociationList = [Association("physics", null, "root")] }])));
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddUsers), await client.RequestAsync(new ListMessage<UserRecord>(DbdMessageType.AddUsers,
            [new UserRecord { Name = "alice", AssociationList = [Association("physics", "alice")] }])));
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddAccountCoords), await client.RequestAsync(new AccountCoordMessage(DbdMessageType.AddAccountCoords,
            ["physics"], new UserCondition { AssociationCondition = new AssociationCondition { UserList = ["alice"] } })));
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddQos), await client.RequestAsync(new ListMessage<QosRecord>(DbdMessageType.AddQos,
            [new QosRecord { Name = "high", Flags = 0x10000000, PreemptMode = SlurmValues.NoVal16 }])));
        await client.RequestAsync(new FiniMessage(0, 1));
        var added = await PushedAsync(controller);

        Assert.IsType<GotListMessage>(await client.RequestAsync(new ConditionMessage<UserCondition>(DbdMessageType.RemoveUsers,
            new UserCondition { AssociationCondition = new AssociationCondition { UserList = ["alice"] } })));
        await client.RequestAsync(new FiniMessage(0, 1));
        var removed = await PushedAsync(controller);

        Assert.Equal([UpdateType.AddAssoc, UpdateType.AddUser, UpdateType.AddAssoc, UpdateType.AddCoord, UpdateType.AddQos], added.Select(u => u.Type));
        var account = Assert.Single(((UpdateObject<AssociationRecord>)added[0]).Records!);
        Assert.Equal(("physics", (string?)null, 3u), (account.Account, account.User, account.Id));
        Assert.Equal("alice", Assert.Single(((UpdateObject<UserRecord>)added[1]).Records!).Name);
        // As the reference pushes it (dbd_to_ctld capture 2): stored values, no NO_VAL a slurmctld would keep.
        var alice = Assert.Single(((UpdateObject<AssociationRecord>)added[2]).Records!);
        Assert.Equal((0u, 1u, SlurmValues.Infinite, SlurmValues.Infinite, 3u, 3u, 4u),
            (alice.DefaultQosId, alice.SharesRaw, alice.MaxJobs, alice.GrpJobs, alice.ParentId, alice.Lft, alice.Rgt));
        Assert.Equal([new CoordinatorRecord("physics", 1)], Assert.Single(((UpdateObject<UserRecord>)added[3]).Records!).CoordAccounts!);
        var qos = Assert.Single(((UpdateObject<QosRecord>)added[4]).Records!);
        Assert.Equal(("high", 2u), (qos.Name, qos.Id));
        Assert.Equal([UpdateType.RemoveUser, UpdateType.RemoveAssoc], removed.Select(u => u.Type));
        Assert.Equal(4u, Assert.Single(((UpdateObject<AssociationRecord>)removed[1]).Records!).Id);
    }
}
