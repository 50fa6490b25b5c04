using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;
using Dapper;

namespace Accounting.Tests.Dbd.Handlers;

/// <summary>Cluster changes through the wire: transactions, privileges, names, the root associations.</summary>
[Collection(ServicesCollection.Name)]
public sealed class ClusterHandlersTests(SharedServices services)
{
    private static ListMessage<ClusterRecord> AddCluster(string name) =>
        new(DbdMessageType.AddClusters, [new ClusterRecord { Name = name, Dimensions = 0, PluginIdSelect = 0, FederationState = SlurmValues.NoVal }]);

    private static readonly IDbdMessage GetAllClusters = new ConditionMessage<ClusterCondition>(DbdMessageType.GetClusters, new ClusterCondition());

    private static async Task<DbdClient> ConnectAsync(RunningDaemon daemon, uint uid = 0)
    {
        var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit(uid))).ReturnCode);
        return client;
    }

    private static async Task<List<string?>> ClusterNamesAsync(DbdClient client) =>
        Assert.IsType<ListMessage<ClusterRecord>>(await client.RequestAsync(GetAllClusters)).Items!.Select(c => c.Name).ToList();

    [Fact]
    public async Task An_add_is_seen_by_its_own_connection_at_once_and_by_others_only_after_commit()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var writer = await ConnectAsync(daemon);
        await using var reader = await ConnectAsync(daemon);

        Assert.Equal(PersistRc.Ok(DbdMessageType.AddClusters), await writer.RequestAsync(AddCluster("alpha")));
        Assert.Equal(["alpha"], await ClusterNamesAsync(writer));
        Assert.Empty(await ClusterNamesAsync(reader));

        Assert.Equal(PersistRc.Ok(DbdMessageType.Fini), await writer.RequestAsync(new FiniMessage(0, 1)));
        Assert.Equal(["alpha"], await ClusterNamesAsync(reader));
    }

    [Fact]
    public async Task A_rolled_back_or_abandoned_add_leaves_nothing_behind()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using (var client = await ConnectAsync(daemon))
        {
            await client.RequestAsync(AddCluster("rolledback"));
            Assert.Equal(PersistRc.Ok(DbdMessageType.Fini), await client.RequestAsync(new FiniMessage(0, 0)));
            Assert.Empty(await ClusterNamesAsync(client));
            await client.RequestAsync(AddCluster("abandoned"));
        }
        await Task.Delay(200);

        await using var other = await ConnectAsync(daemon);
        Assert.Empty(await ClusterNamesAsync(other));
        using var connection = services.MariaDb.Connect(daemon.Database);
        Assert.Equal(0, connection.ExecuteScalar<int>("SELECT COUNT(*) FROM assoc"));
    }

    [Fact]
    public async Task A_new_cluster_gets_the_root_account_and_root_user_associations()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await ConnectAsync(daemon);
        await client.RequestAsync(AddCluster("alpha"));
        await client.RequestAsync(new FiniMessage(0, 1));

        using var connection = services.MariaDb.Connect(daemon.Database);
        var rows = connection.Query<(uint Id, string User, string Acct, int Lft, int Rgt, bool IsDef, string Qos, uint Shares)>(
            "SELECT id_assoc, `user`, acct, lft, rgt, is_def, qos, shares FROM assoc ORDER BY id_assoc").ToList();
        Assert.Equal([(1u, "", "root", 1, 4, false, ",1,", 1u), (2u, "root", "root", 2, 3, true, "", 1u)], rows);
        var root = Assert.Single(Assert.IsType<ListMessage<ClusterRecord>>(await client.RequestAsync(GetAllClusters)).Items!).RootAssociation;
        Assert.Equal(("root", "alpha", 1u, 4u), (root.Account, root.Cluster, root.Lft, root.Rgt));
        Assert.Equal(["1"], root.QosList);
    }

    [Fact]
    public async Task An_ordinary_user_may_not_add_a_cluster()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await ConnectAsync(daemon, uid: 65534);

        var reply = Assert.IsType<PersistRc>(await client.RequestAsync(AddCluster("alpha")));

        Assert.Equal((SlurmError.AccessDenied, "Your user doesn't have privilege to perform this action"), (reply.ReturnCode, reply.Comment));
        Assert.Null(await client.ReadFrameAsync());
    }

    [Theory]
    [InlineData("a'b;DROP TABLE cluster;--")]
    [InlineData("x\"y\\z")]
    [InlineData("клъстер-名前-🚀")]
    public async Task Names_are_stored_as_given_whatever_they_contain(string name)
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await ConnectAsync(daemon);

        Assert.Equal(PersistRc.Ok(DbdMessageType.AddClusters), await client.RequestAsync(AddCluster(name)));

        Assert.Equal([name], await ClusterNamesAsync(client));
    }

    [Fact]
    public async Task A_thousand_character_name_is_stored_and_an_empty_one_refused()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await ConnectAsync(daemon);
        string longName = string.Concat(Enumerable.Repeat("ü", 1000));

        Assert.Equal(PersistRc.Ok(DbdMessageType.AddClusters), await client.RequestAsync(AddCluster(longName)));
        var empty = Assert.IsType<PersistRc>(await client.RequestAsync(AddCluster("")));

        Assert.Equal([longName], await ClusterNamesAsync(client));
        Assert.Equal((SlurmError.Error, "Failed to add cluster."), (empty.ReturnCode, empty.Comment));
    }
}
