using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;
using Dapper;

namespace Accounting.Tests.Dbd.Handlers;

/// <summary>
/// Accounts, users, coordinators, QOS, TRES, wckeys and association changes through the wire: privileges
/// (records spec §1.6), reply shapes (§1.3–1.4) and the semantics sacctmgr does not show.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class EntityHandlersTests(SharedServices services)
{
    /// <summary>uid 65534 is "nobody": an accounting user without any admin level unless given one.</summary>
    private const uint NobodyUid = 65534;

    private static async Task<DbdClient> ConnectAsync(RunningDaemon daemon, uint uid = 0)
    {
        var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit(uid))).ReturnCode);
        return client;
    }

    private static async Task<IDbdMessage> AsNobodyAsync(RunningDaemon daemon, IDbdMessage request)
    {
        await using var nobody = await ConnectAsync(daemon, NobodyUid);
        return await nobody.RequestAsync(request);
    }

    private static async Task<DbdClient> ConnectWithTreeAsync(RunningDaemon daemon)
    {
        var client = await ConnectAsync(daemon);
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddClusters), await client.RequestAsync(
            new ListMessage<ClusterRecord>(DbdMessageType.AddClusters, [new ClusterRecord { Name = "alpha", FederationState = SlurmValues.NoVal }])));
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddAccounts), await client.RequestAsync(new ListMessage<AccountRecord>(DbdMessageType.AddAccounts,
            [NewAccount("physics", "root"), NewAccount("theory", "physics")])));
        return client;
    }

    private static AccountRecord NewAccount(string name, string parent) => new()
    {
        Name = name,
        Description = name,
        Organization = name,
        AssociationList = [new AssociationRecord { Cluster = "alpha", Account = name, ParentAccount = parent, IsDefault = SlurmValues.NoVal16 }],
    };

    private static ListMessage<UserRecord> NewUser(string name, string account, AdminLevel level = AdminLevel.NotSet) =>
        new(DbdMessageType.AddUsers, [new UserRecord
        {
            Name = name,
            AdminLevel = level,
            AssociationList = [new AssociationRecord { Cluster = "alpha", Account = account, User = name, IsDefault = SlurmValues.NoVal16 }],
        }]);

    /// <summary>A modify record as sacctmgr sends it (slurmdb_init_assoc_rec): everything NO_VAL but what is set.</summary>
    private static AssociationRecord Fresh(uint maxJobs = SlurmValues.NoVal) => new() { Priority = SlurmValues.NoVal, MaxJobs = maxJobs };

    private static async Task CommitAsync(DbdClient client) =>
        Assert.Equal(0, Assert.IsType<PersistRc>(await client.RequestAsync(new FiniMessage(0, 1))).ReturnCode);

    private static UserCondition Users(params string[] names) => new() { AssociationCondition = new AssociationCondition { UserList = [.. names] } };

    [Fact]
    public async Task Nobody_may_change_entities_until_given_a_level_and_only_super_users_change_qos_and_admin_levels()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var root = await ConnectWithTreeAsync(daemon);
        await CommitAsync(root);

        // slurmdbd closes a connection once it answered 2002, so every refused request has its own.
        var deniedAccount = Assert.IsType<PersistRc>(await AsNobodyAsync(daemon,
            new ListMessage<AccountRecord>(DbdMessageType.AddAccounts, [NewAccount("chem", "root")])));
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddUsers), await root.RequestAsync(NewUser("nobody", "physics", AdminLevel.Operator)));
        await CommitAsync(root);
        var operatorAccount = await AsNobodyAsync(daemon, new ListMessage<AccountRecord>(DbdMessageType.AddAccounts, [NewAccount("chem", "root")]));
        var operatorQos = Assert.IsType<PersistRc>(await AsNobodyAsync(daemon,
            new ListMessage<QosRecord>(DbdMessageType.AddQos, [new QosRecord { Name = "high", Flags = 0x10000000 }])));
        var operatorPromotes = Assert.IsType<PersistRc>(await AsNobodyAsync(daemon, new ModifyMessage<UserCondition, UserRecord>(
            DbdMessageType.ModifyUsers, Users("nobody"), new UserRecord { AdminLevel = AdminLevel.SuperUser })));

        Assert.Equal((SlurmError.AccessDenied, "Your user doesn't have privilege to perform this action"), (deniedAccount.ReturnCode, deniedAccount.Comment));
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddAccounts), operatorAccount);
        Assert.Equal(SlurmError.AccessDenied, operatorQos.ReturnCode);
        Assert.Equal(SlurmError.AccessDenied, operatorPromotes.ReturnCode);
    }

    [Fact]
    public async Task A_coordinator_changes_what_is_below_their_account_and_coordinates_its_sub_accounts()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var root = await ConnectWithTreeAsync(daemon);
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddUsers), await root.RequestAsync(NewUser("nobody", "physics")));
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddAccountCoords), await root.RequestAsync(
            new AccountCoordMessage(DbdMessageType.AddAccountCoords, ["physics"], Users("nobody"))));
        await CommitAsync(root);
        await using var nobody = await ConnectAsync(daemon, NobodyUid);

        var below = await nobody.RequestAsync(new ListMessage<AssociationRecord>(DbdMessageType.AddAssocs,
            [new AssociationRecord { Cluster = "alpha", Account = "theory", User = "nobody", IsDefault = SlurmValues.NoVal16 }]));
        var subAccount = Assert.IsType<GotListMessage>(await nobody.RequestAsync(new ModifyMessage<AssociationCondition, AssociationRecord>(
            DbdMessageType.ModifyAssocs, new AssociationCondition { AccountList = ["theory"] }, Fresh(maxJobs: 5))));
        // Its open transaction holds the rows the refused requests below would wait for.
        await CommitAsync(nobody);
        var besideRoot = Assert.IsType<PersistRc>(await AsNobodyAsync(daemon, new ListMessage<AssociationRecord>(DbdMessageType.AddAssocs,
            [new AssociationRecord { Cluster = "alpha", Account = "other", ParentAccount = "root", IsDefault = SlurmValues.NoVal16 }])));
        var ownAccount = Assert.IsType<PersistRc>(await AsNobodyAsync(daemon, new ModifyMessage<AssociationCondition, AssociationRecord>(
            DbdMessageType.ModifyAssocs, new AssociationCondition { AccountList = ["physics"] }, Fresh(maxJobs: 5))));
        var coordinators = Assert.IsType<ListMessage<UserRecord>>(await root.RequestAsync(
            new ConditionMessage<UserCondition>(DbdMessageType.GetUsers, Users("nobody") with { WithCoords = 1 }))).Items!;

        Assert.Equal(PersistRc.Ok(DbdMessageType.AddAssocs), below);
        Assert.Equal(SlurmError.AccessDenied, besideRoot.ReturnCode);
        Assert.Equal(SlurmError.AccessDenied, ownAccount.ReturnCode);
        Assert.Equal(["C = alpha      A = theory of physics", "C = alpha      A = theory               U = nobody   "], subAccount.Items!);
        Assert.Equal([new CoordinatorRecord("physics", 1), new CoordinatorRecord("theory", 0)], Assert.Single(coordinators).CoordAccounts!);
    }

    [Fact]
    public async Task Modify_answers_nothing_to_change_and_nothing_matched_as_proc_req_does()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await ConnectWithTreeAsync(daemon);

        var nothingToChange = Assert.IsType<PersistRc>(await client.RequestAsync(new ModifyMessage<AssociationCondition, AssociationRecord>(
            DbdMessageType.ModifyAssocs, new AssociationCondition { AccountList = ["physics"] }, Fresh())));
        var nothingMatched = Assert.IsType<GotListMessage>(await client.RequestAsync(new ModifyMessage<AssociationCondition, AssociationRecord>(
            DbdMessageType.ModifyAssocs, new AssociationCondition { AccountList = ["nosuch"] }, Fresh(maxJobs: 1))));
        var badDefaultQos = Assert.IsType<PersistRc>(await client.RequestAsync(new ModifyMessage<AssociationCondition, AssociationRecord>(
            DbdMessageType.ModifyAssocs, new AssociationCondition { AccountList = ["physics"] }, Fresh() with { DefaultQosId = 77 })));

        Assert.Equal((SlurmError.Success, "Request didn't affect anything or your user doesn't have privilege to perform this action"),
            (nothingToChange.ReturnCode, nothingToChange.Comment));
        Assert.Empty(nothingMatched.Items!);
        Assert.Equal(SlurmError.InvalidQos, badDefaultQos.ReturnCode);
    }

    [Fact]
    public async Task Removing_an_association_with_a_running_job_is_refused_with_the_job_and_removes_nothing()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await ConnectWithTreeAsync(daemon);
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddUsers), await client.RequestAsync(NewUser("alice", "theory")));
        await CommitAsync(client);
        using (var connection = services.MariaDb.Connect(daemon.Database))
            connection.Execute("""
                INSERT INTO job (cluster_id, id_job, id_user, id_group, id_assoc, state, time_submit)
                SELECT cluster_id, 42, 1000, 1000, id_assoc, 1, 1 FROM assoc WHERE `user` = 'alice'
                """);

        var refused = Assert.IsType<GotListMessage>(await client.RequestAsync(new ConditionMessage<AssociationCondition>(
            DbdMessageType.RemoveAssocs, new AssociationCondition { AccountList = ["physics"] })));
        var left = Assert.IsType<ListMessage<AssociationRecord>>(await client.RequestAsync(new ConditionMessage<AssociationCondition>(
            DbdMessageType.GetAssocs, new AssociationCondition { AccountList = ["physics", "theory"] }))).Items!;

        Assert.Equal(SlurmError.JobsRunningOnAssoc, refused.ReturnCode);
        Assert.Equal(["JobID = 42         C = alpha      A = theory     U = alice    "], refused.Items!);
        Assert.Equal(3, left.Count);
    }

    [Fact]
    public async Task Removing_an_account_takes_its_subtree_and_coordinators_and_frees_nothing_else()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await ConnectWithTreeAsync(daemon);
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddUsers), await client.RequestAsync(NewUser("alice", "theory")));
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddAccountCoords), await client.RequestAsync(
            new AccountCoordMessage(DbdMessageType.AddAccountCoords, ["physics"], Users("alice"))));

        var removed = Assert.IsType<GotListMessage>(await client.RequestAsync(new ConditionMessage<AccountCondition>(
            DbdMessageType.RemoveAccounts, new AccountCondition { AssociationCondition = new AssociationCondition { AccountList = ["physics"] } })));
        var tree = Assert.IsType<ListMessage<AssociationRecord>>(await client.RequestAsync(
            new ConditionMessage<AssociationCondition>(DbdMessageType.GetAssocs, new AssociationCondition()))).Items!;
        var alice = Assert.Single(Assert.IsType<ListMessage<UserRecord>>(await client.RequestAsync(
            new ConditionMessage<UserCondition>(DbdMessageType.GetUsers, Users("alice") with { WithCoords = 1 }))).Items!);

        Assert.Equal(["physics"], removed.Items!);
        Assert.Equal(SlurmError.Success, removed.ReturnCode);
        Assert.Equal([("root", (string?)null, 1u, 4u), ("root", "root", 2u, 3u)], tree.Select(a => (a.Account!, a.User, a.Lft, a.Rgt)));
        Assert.Empty(alice.CoordAccounts!);
    }

    [Fact]
    public async Task New_tres_get_ids_from_1001_are_found_again_and_named_types_need_a_name()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await ConnectAsync(daemon);

        var first = await client.RequestAsync(new ListMessage<TresRecord>(DbdMessageType.AddTres,
            [new TresRecord(0, 0, 0, "gpu", "gres"), new TresRecord(0, 0, 0, "lic", "license")]));
        var again = await client.RequestAsync(new ListMessage<TresRecord>(DbdMessageType.AddTres, [new TresRecord(0, 0, 0, "gpu", "gres")]));
        var unnamed = Assert.IsType<PersistRc>(await client.RequestAsync(
            new ListMessage<TresRecord>(DbdMessageType.AddTres, [new TresRecord(0, 0, 0, null, "gres")])));
        // DBD_ADD_TRES is committed at once: a second connection sees it.
        await using var other = await ConnectAsync(daemon);
        var all = Assert.IsType<ListMessage<TresRecord>>(await other.RequestAsync(new ConditionMessage<TresCondition>(DbdMessageType.GetTres,
            new TresCondition(0, null, null, null, ["gres", "license"], 0)))).Items!;

        Assert.Equal(PersistRc.Ok(DbdMessageType.AddTres), first);
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddTres), again);
        Assert.Equal(SlurmError.Error, unnamed.ReturnCode);
        Assert.Equal([(1001u, "gres", "gpu"), (1002u, "license", "lic")], all.Select(t => (t.Id, t.Type!, t.Name!)));
    }

    [Fact]
    public async Task Wckeys_are_added_with_a_default_read_by_operators_only_and_removed_with_their_lines()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await ConnectWithTreeAsync(daemon);
        Assert.Equal(PersistRc.Ok(DbdMessageType.AddWckeys), await client.RequestAsync(new ListMessage<WckeyRecord>(DbdMessageType.AddWckeys,
            [new WckeyRecord { Cluster = "alpha", User = "alice", Name = "sim" }, new WckeyRecord { Cluster = "alpha", User = "alice", Name = "" }])));
        await CommitAsync(client);

        var wckeys = Assert.IsType<ListMessage<WckeyRecord>>(await client.RequestAsync(
            new ConditionMessage<WckeyCondition>(DbdMessageType.GetWckeys, new WckeyCondition()))).Items!;
        var denied = Assert.IsType<PersistRc>(await AsNobodyAsync(daemon,
            new ConditionMessage<WckeyCondition>(DbdMessageType.GetWckeys, new WckeyCondition())));
        var removed = Assert.IsType<GotListMessage>(await client.RequestAsync(
            new ConditionMessage<WckeyCondition>(DbdMessageType.RemoveWckeys, new WckeyCondition { NameList = ["sim"] })));

        Assert.Equal([("", (ushort)0, 2u), ("sim", (ushort)1, 1u)], wckeys.Select(w => (w.Name!, w.IsDefault, w.Id)));
        Assert.Equal(SlurmError.AccessDenied, denied.ReturnCode);
        Assert.Equal(["C = alpha      W = sim                  U = alice    "], removed.Items!);
        Assert.Equal(SlurmError.Success, removed.ReturnCode);
    }
}
