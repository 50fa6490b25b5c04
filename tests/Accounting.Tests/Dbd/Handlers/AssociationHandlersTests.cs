using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;
using Dapper;

namespace Accounting.Tests.Dbd.Handlers;

/// <summary>The association tree through the wire: nested-set placement, defaults, inheritance.</summary>
[Collection(ServicesCollection.Name)]
public sealed class AssociationHandlersTests(SharedServices services)
{
    private static async Task<DbdClient> ConnectWithClusterAsync(RunningDaemon daemon)
    {
        var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddClusters), await client.RequestAsync(
            new ListMessage<ClusterRecord>(DbdMessageType.AddClusters, [new ClusterRecord { Name = "alpha", FederationState = SlurmValues.NoVal }])));
        return client;
    }

    private static AssociationRecord Account(string name, string? parent = null) =>
        new() { Cluster = "alpha", Account = name, ParentAccount = parent, IsDefault = SlurmValues.NoVal16 };

    private static AssociationRecord User(string user, string account, ushort isDefault = SlurmValues.NoVal16) =>
        new() { Cluster = "alpha", Account = account, User = user, IsDefault = isDefault };

    private static Task<IDbdMessage> AddAsync(DbdClient client, params AssociationRecord[] records) =>
        client.RequestAsync(new ListMessage<AssociationRecord>(DbdMessageType.AddAssocs, [.. records]));

    private static async Task<List<AssociationRecord>> GetAsync(DbdClient client, AssociationCondition? condition = null) =>
        Assert.IsType<ListMessage<AssociationRecord>>(await client.RequestAsync(
            new ConditionMessage<AssociationCondition>(DbdMessageType.GetAssocs, condition ?? new AssociationCondition()))).Items!;

    [Fact]
    public async Task New_associations_nest_under_their_parents_and_keep_a_valid_nested_set()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await ConnectWithClusterAsync(daemon);

        Assert.Equal(PersistRc.Ok(DbdMessageType.AddAssocs), await AddAsync(client, Account("physics"), Account("chem")));
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddAssocs), await AddAsync(client, Account("theory", "physics"), User("alice", "theory")));

        var tree = await GetAsync(client);
        var byName = tree.ToDictionary(a => (a.Account, a.User));
        Assert.Equal(["root", "physics", "theory", "theory", "chem", "root"], tree.Select(a => a.Account));
        foreach (var assoc in tree)
            Assert.True(assoc.Lft < assoc.Rgt, $"{assoc.Account}/{assoc.User} lft {assoc.Lft} rgt {assoc.Rgt}");
        var theory = byName[("theory", null)];
        var alice = byName[("theory", "alice")];
        Assert.True(theory.Lft < alice.Lft && alice.Rgt < theory.Rgt);
        Assert.Equal((theory.Id, "physics"), (alice.ParentId, byName[("theory", null)].ParentAccount));
        Assert.Equal(byName[("root", null)].Rgt, (uint)(2 * tree.Count));
    }

    [Fact]
    public async Task A_users_first_association_on_a_cluster_becomes_the_default()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await ConnectWithClusterAsync(daemon);
        await AddAsync(client, Account("physics"), Account("chem"));

        await AddAsync(client, User("bob", "physics"));
        await AddAsync(client, User("bob", "chem"));
        var defaults = (await GetAsync(client, new AssociationCondition { UserList = ["bob"] })).ToDictionary(a => a.Account!, a => a.IsDefault);
        await AddAsync(client, User("bob", "chem", isDefault: 1));
        var changed = (await GetAsync(client, new AssociationCondition { UserList = ["bob"] })).ToDictionary(a => a.Account!, a => a.IsDefault);

        Assert.Equal((1, 0), (defaults["physics"], defaults["chem"]));
        Assert.Equal((1, 0), (changed["physics"], changed["chem"]));
    }

    [Fact]
    public async Task A_missing_parent_fails_and_rolls_the_whole_transaction_back()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await ConnectWithClusterAsync(daemon);

        var reply = Assert.IsType<PersistRc>(await AddAsync(client, Account("orphan", "nosuch")));

        Assert.Equal(SlurmError.Error, reply.ReturnCode);
        Assert.Empty(await GetAsync(client));
        using var connection = services.MariaDb.Connect(daemon.Database);
        Assert.Equal(0, connection.ExecuteScalar<int>("SELECT COUNT(*) FROM cluster"));
    }

    [Fact]
    public async Task An_empty_user_list_selects_user_associations_and_a_list_of_one_empty_name_account_ones()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await ConnectWithClusterAsync(daemon);
        await AddAsync(client, Account("physics"), User("alice", "physics"));

        var users = await GetAsync(client, new AssociationCondition { UserList = [] });
        var accounts = await GetAsync(client, new AssociationCondition { UserList = [""] });

        // In tree order: physics (and alice under it) went in as root's first child, before the root user.
        Assert.Equal(["alice", "root"], users.Select(a => a.User));
        Assert.All(accounts, a => Assert.Null(a.User));
        Assert.Equal(["root", "physics"], accounts.Select(a => a.Account));
    }
}
