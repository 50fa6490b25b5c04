using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;

namespace Accounting.Tests.Dbd.Handlers;

/// <summary>
/// PrivateData=accounts,users,usage through the wire with auth/none uids: uid 65534 (nobody) sees what the
/// real slurmdbd 22.05.8 showed `sacctmgr` run as nobody on the tree of Scripts/dump-and-load.txt, first
/// without a user record, then as a user of chem, then also as coordinator of physics; root sees all.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class PrivateDataTests(SharedServices services)
{
    private const uint Nobody = 65534;

    private static async Task<DbdClient> ConnectAsync(RunningDaemon daemon, uint uid)
    {
        var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit(uid))).ReturnCode);
        return client;
    }

    private static Task<IDbdMessage> AccountsAsync(DbdClient client) =>
        client.RequestAsync(new ConditionMessage<AccountCondition>(DbdMessageType.GetAccounts, new AccountCondition()));

    private static async Task<List<string?>> AccountNamesAsync(DbdClient client) =>
        Assert.IsType<ListMessage<AccountRecord>>(await AccountsAsync(client)).Items!.Select(a => a.Name).ToList();

    private static async Task<List<string?>> UsersAsync(DbdClient client) =>
        Assert.IsType<ListMessage<UserRecord>>(await client.RequestAsync(
            new ConditionMessage<UserCondition>(DbdMessageType.GetUsers, new UserCondition()))).Items!.Select(u => u.Name).ToList();

    private static async Task<List<(string?, string?)>> AssociationsAsync(DbdClient client) =>
        Assert.IsType<ListMessage<AssociationRecord>>(await client.RequestAsync(
            new ConditionMessage<AssociationCondition>(DbdMessageType.GetAssocs, new AssociationCondition()))).Items!
            .Select(a => (a.Account, a.User)).ToList();

    private static async Task OkAsync(RunningDaemon daemon, params string[] arguments)
    {
        var result = await daemon.SacctmgrAsync(arguments);
        Assert.True(result.ExitCode == 0, result.Combined);
    }

    [Fact]
    public async Task Readers_below_operator_see_only_their_own_users_associations_and_coordinated_accounts()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none", "PrivateData=accounts,users,usage\n");
        foreach (string line in await File.ReadAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Scripts", "dump-and-load.txt")))
            await OkAsync(daemon, line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        await using var root = await ConnectAsync(daemon, 0);

        // No user record: accounts are refused (errno 2002 as the rc, after which slurmdbd closes the
        // connection), users and associations come back empty.
        await using (var denied = await ConnectAsync(daemon, Nobody))
            Assert.Equal(PersistRc.Failure(DbdMessageType.GetAccounts, SlurmError.AccessDenied, "Access/permission denied"), await AccountsAsync(denied));
        await using var nobody = await ConnectAsync(daemon, Nobody);
        Assert.Empty(await UsersAsync(nobody));
        Assert.Empty(await AssociationsAsync(nobody));

        // A user of chem: only their own record, and the path from the root down to their association.
        await OkAsync(daemon, "-i", "add", "user", "nobody", "account=chem");
        Assert.Equal(["nobody"], await UsersAsync(nobody));
        Assert.Equal([("root", null), ("physics", null), ("chem", null), ("chem", "nobody")], await AssociationsAsync(nobody));
        await using (var denied = await ConnectAsync(daemon, Nobody))
            Assert.Equal(SlurmError.AccessDenied, Assert.IsType<PersistRc>(await AccountsAsync(denied)).ReturnCode);

        // Coordinator of physics (so of chem below it): those accounts, and every association in them.
        await OkAsync(daemon, "-i", "add", "coordinator", "account=physics", "names=nobody");
        Assert.Equal(["chem", "physics"], await AccountNamesAsync(nobody));
        Assert.Equal(["nobody"], await UsersAsync(nobody));
        // Compared as sets: sacctmgr sorts what it prints, the wire carries tree (lft) order.
        Assert.Equal([("chem", null), ("chem", "bob"), ("chem", "nobody"), ("physics", null), ("physics", "alice"), ("physics", "bob"), ("root", null)],
            (await AssociationsAsync(nobody)).Order());

        // The slurm user is never restricted.
        Assert.Equal(8, (await AssociationsAsync(root)).Count);
        Assert.Equal(["alice", "bob", "nobody", "root"], await UsersAsync(root));
        Assert.Equal(["chem", "physics", "root"], await AccountNamesAsync(root));
    }
}
