using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;

namespace Accounting.Tests.Dbd.Handlers;

/// <summary>
/// Account and user names travel as bound parameters all the way: quotes, semicolons, SQL comment
/// markers, Unicode beyond the BMP and 1,000-character names are added, found, changed and removed as
/// exactly what was sent.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class EntityNameTests(SharedServices services)
{
    public static TheoryData<string> Names => new()
    {
        "o'brien",
        "a\"b`c\\d",
        "x'); DROP TABLE acct; --",
        "semi;colon;names",
        "Ünïcødé-名前-🚀",
        new string('n', 999) + "é",
    };

    private static async Task<DbdClient> ConnectWithClusterAsync(RunningDaemon daemon)
    {
        var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddClusters), await client.RequestAsync(
            new ListMessage<ClusterRecord>(DbdMessageType.AddClusters, [new ClusterRecord { Name = "alpha", FederationState = SlurmValues.NoVal }])));
        return client;
    }

    private static AccountRecord NewAccount(string name) => new()
    {
        Name = name,
        Description = name,
        Organization = name,
        AssociationList = [new AssociationRecord { Cluster = "alpha", Account = name, ParentAccount = "root", IsDefault = SlurmValues.NoVal16 }],
    };

    private static AccountCondition AccountNamed(string name) =>
        new() { AssociationCondition = new AssociationCondition { AccountList = [name] } };

    private static UserCondition UserNamed(string name) =>
        new() { AssociationCondition = new AssociationCondition { UserList = [name] } };

    /// <summary>A DBD_GOT_LIST naming exactly this one object, with return code 0.</summary>
    private static void AssertNamesOnly(string name, IDbdMessage reply)
    {
        var list = Assert.IsType<GotListMessage>(reply);
        Assert.Equal([name], list.Items!);
        Assert.Equal(SlurmError.Success, list.ReturnCode);
    }

    private static async Task<List<AccountRecord>> AccountsAsync(DbdClient client, string name) =>
        Assert.IsType<ListMessage<AccountRecord>>(await client.RequestAsync(
            new ConditionMessage<AccountCondition>(DbdMessageType.GetAccounts, AccountNamed(name) with { WithAssocs = 1 }))).Items!;

    private static async Task<List<UserRecord>> UsersAsync(DbdClient client, string name) =>
        Assert.IsType<ListMessage<UserRecord>>(await client.RequestAsync(
            new ConditionMessage<UserCondition>(DbdMessageType.GetUsers, UserNamed(name) with { WithAssocs = 1 }))).Items!;

    [Theory]
    [MemberData(nameof(Names))]
    public async Task An_account_named_anything_is_added_found_changed_and_removed_as_sent(string name)
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await ConnectWithClusterAsync(daemon);

        Assert.Equal(PersistRc.Ok(DbdMessageType.AddAccounts),
            await client.RequestAsync(new ListMessage<AccountRecord>(DbdMessageType.AddAccounts, [NewAccount(name)])));
        var found = Assert.Single(await AccountsAsync(client, name));
        var modified = await client.RequestAsync(new ModifyMessage<AccountCondition, AccountRecord>(
            DbdMessageType.ModifyAccounts, AccountNamed(name), new AccountRecord { Description = name + "'2" }));
        var changed = Assert.Single(await AccountsAsync(client, name));
        var removed = await client.RequestAsync(new ConditionMessage<AccountCondition>(DbdMessageType.RemoveAccounts, AccountNamed(name)));

        Assert.Equal((name, name, name), (found.Name, found.Description, found.Organization));
        Assert.Equal(name, Assert.Single(found.AssociationList!).Account);
        AssertNamesOnly(name, modified);
        Assert.Equal(name + "'2", changed.Description);
        AssertNamesOnly(name, removed);
        Assert.Empty(await AccountsAsync(client, name));
        // The other accounts are untouched: root is still there.
        Assert.Single(await AccountsAsync(client, "root"));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_user_named_anything_is_added_found_changed_and_removed_as_sent(string name)
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await ConnectWithClusterAsync(daemon);
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddAccounts),
            await client.RequestAsync(new ListMessage<AccountRecord>(DbdMessageType.AddAccounts, [NewAccount("physics")])));

        var user = new UserRecord
        {
            Name = name,
            DefaultAccount = "physics",
            AssociationList = [new AssociationRecord { Cluster = "alpha", Account = "physics", User = name, IsDefault = SlurmValues.NoVal16 }],
        };
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddUsers), await client.RequestAsync(new ListMessage<UserRecord>(DbdMessageType.AddUsers, [user])));
        var found = Assert.Single(await UsersAsync(client, name));
        var modified = await client.RequestAsync(new ModifyMessage<UserCondition, UserRecord>(
            DbdMessageType.ModifyUsers, UserNamed(name), new UserRecord { AdminLevel = AdminLevel.Operator }));
        var changed = Assert.Single(await UsersAsync(client, name));
        var removed = await client.RequestAsync(new ConditionMessage<UserCondition>(DbdMessageType.RemoveUsers, UserNamed(name)));

        Assert.Equal((name, AdminLevel.None, "physics"), (found.Name, found.AdminLevel, found.DefaultAccount));
        Assert.Equal(name, Assert.Single(found.AssociationList!).User);
        AssertNamesOnly(name, modified);
        Assert.Equal(AdminLevel.Operator, changed.AdminLevel);
        AssertNamesOnly(name, removed);
        Assert.Empty(await UsersAsync(client, name));
        Assert.Single(await UsersAsync(client, "root"));
    }
}
