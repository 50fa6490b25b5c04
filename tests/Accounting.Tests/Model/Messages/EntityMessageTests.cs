using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;

namespace Accounting.Tests.Model.Messages;

/// <summary>
/// The captured sacctmgr conversations about accounts, users and events decode to what the transcript
/// shows (shared/anchor/transcript.md), and the slurmdbd→slurmctld pushes they caused decode and re-encode
/// byte for byte.
/// </summary>
public sealed class EntityMessageTests
{
    private static T Decode<T>(string operation, DbdMessageType type, int occurrence = 0) where T : IDbdMessage
    {
        var message = CapturedConversation.Load(operation).Where(m => m.FirstU16 == (ushort)type).ElementAt(occurrence);
        return Assert.IsType<T>(DbdMessageDecoder.Decode(message.Payload, ProtocolVersion.Current));
    }

    [Fact]
    public void Add_account_sends_physics_with_its_association_on_alpha_under_root()
    {
        var get = Decode<ConditionMessage<AccountCondition>>("add_account", DbdMessageType.GetAccounts);
        Assert.Equal(["physics"], get.Condition.AssociationCondition.AccountList!);
        Assert.Null(get.Condition.DescriptionList);
        // A new account: the lookup answers a present, empty list.
        Assert.Empty(Decode<ListMessage<AccountRecord>>("add_account", DbdMessageType.GotAccounts).Items!);

        var account = Assert.Single(Decode<ListMessage<AccountRecord>>("add_account", DbdMessageType.AddAccounts).Items!);
        Assert.Equal(("physics", "physics", "physics"), (account.Name, account.Description, account.Organization));
        Assert.Null(account.Coordinators);
        var association = Assert.Single(account.AssociationList!);
        Assert.Equal(("physics", "alpha", "root"), (association.Account, association.Cluster, association.ParentAccount));
        Assert.Null(association.User);
        Assert.Equal(SlurmValues.NoVal16, association.IsDefault);
        Assert.Equal(SlurmValues.NoVal, association.SharesRaw);
    }

    [Fact]
    public void Add_account_chem_carries_the_given_description_and_the_account_name_as_organization()
    {
        var account = Assert.Single(Decode<ListMessage<AccountRecord>>("add_account_chem", DbdMessageType.AddAccounts).Items!);

        Assert.Equal(("chem", "chemistry", "chem"), (account.Name, account.Description, account.Organization));
        Assert.Equal("root", Assert.Single(account.AssociationList!).ParentAccount);
    }

    [Fact]
    public void Add_user_sends_alice_with_her_physics_association_and_leaves_the_default_to_the_server()
    {
        var get = Decode<ConditionMessage<UserCondition>>("add_user", DbdMessageType.GetUsers).Condition;
        Assert.Equal(["alice"], get.AssociationCondition.UserList!);
        Assert.Equal((1, 1, 1), (get.AssociationCondition.OnlyDefaults, get.WithAssocs, get.WithWckeys));
        var accounts = Decode<ConditionMessage<AccountCondition>>("add_user", DbdMessageType.GetAccounts).Condition;
        Assert.Empty(accounts.AssociationCondition.PartitionList!);

        var user = Assert.Single(Decode<ListMessage<UserRecord>>("add_user", DbdMessageType.AddUsers).Items!);
        Assert.Equal("alice", user.Name);
        Assert.Equal(AdminLevel.NotSet, user.AdminLevel);
        // sacctmgr names no default; the server makes the only association the default (records spec §7.2).
        Assert.Null(user.DefaultAccount);
        Assert.Null(user.CoordAccounts);
        Assert.Empty(user.WckeyList!);
        var association = Assert.Single(user.AssociationList!);
        Assert.Equal(("physics", "alpha", "alice"), (association.Account, association.Cluster, association.User));
        Assert.Equal(SlurmValues.NoVal16, association.IsDefault);
    }

    [Fact]
    public void Show_user_lists_alice_with_default_account_physics_and_root_as_administrator()
    {
        var condition = Decode<ConditionMessage<UserCondition>>("show_user", DbdMessageType.GetUsers).Condition;
        Assert.Equal(1, condition.AssociationCondition.OnlyDefaults);
        Assert.Null(condition.AssociationCondition.UserList);

        var users = Decode<ListMessage<UserRecord>>("show_user", DbdMessageType.GotUsers).Items!;
        Assert.Equal(["alice", "root"], users.Select(u => u.Name));
        Assert.Equal([AdminLevel.None, AdminLevel.SuperUser], users.Select(u => u.AdminLevel));
        Assert.Equal(["physics", "root"], users.Select(u => u.DefaultAccount));
        // The server sends "" (not NULL) for "no default wckey" and no association list.
        Assert.All(users, u => Assert.Equal("", u.DefaultWckey));
        Assert.All(users, u => Assert.Null(u.AssociationList));
    }

    [Fact]
    public void Show_account_lists_physics_and_the_default_root_account()
    {
        var accounts = Decode<ListMessage<AccountRecord>>("show_account", DbdMessageType.GotAccounts).Items!;

        Assert.Equal(
            [("physics", "physics", "physics"), ("root", "default root account", "root")],
            accounts.Select(a => (a.Name!, a.Description!, a.Organization!)));
    }

    [Fact]
    public void Show_event_returns_the_open_cluster_registration_of_alpha()
    {
        var condition = Decode<ConditionMessage<EventCondition>>("show_event", DbdMessageType.GetEvents).Condition;
        Assert.Equal(EventType.All, condition.EventType);
        Assert.NotEqual(0, condition.PeriodStart);

        var reply = Decode<ListMessage<EventRecord>>("show_event", DbdMessageType.GotEvents);
        var registration = Assert.Single(reply.Items!);
        Assert.Equal(("alpha", EventType.Cluster, "Cluster Registered TRES"), (registration.Cluster, registration.EventType, registration.Reason));
        Assert.Equal(("localhost", "1=2,2=1000,3=0,4=1,5=2,6=0,7=0,8=0"), (registration.ClusterNodes, registration.TresString));
        Assert.Null(registration.NodeName);
        // "Unknown" end time in the transcript: still open.
        Assert.Equal(0, registration.PeriodEnd);
        Assert.Equal(SlurmValues.NoVal, registration.ReasonUid);
    }

    [Fact]
    public void Modify_account_chem_sets_only_the_description_and_gets_the_account_name_back()
    {
        var modify = Decode<ModifyMessage<AccountCondition, AccountRecord>>("modify_account_chem", DbdMessageType.ModifyAccounts);
        Assert.Equal(["chem"], modify.Condition.AssociationCondition.AccountList!);
        Assert.Equal("chem2", modify.Record.Description);
        Assert.Null(modify.Record.Name);
        Assert.Null(modify.Record.Organization);

        var reply = Decode<GotListMessage>("modify_account_chem", DbdMessageType.GotList);
        Assert.Equal(["chem"], reply.Items!);
        Assert.Equal(SlurmError.Success, reply.ReturnCode);
    }

    [Fact]
    public void Remove_account_chem_gets_the_removed_account_in_a_got_list()
    {
        var remove = Decode<ConditionMessage<AccountCondition>>("remove_account_chem", DbdMessageType.RemoveAccounts);
        Assert.Equal(["chem"], remove.Condition.AssociationCondition.AccountList!);

        var reply = Decode<GotListMessage>("remove_account_chem", DbdMessageType.GotList);
        Assert.Equal(["chem"], reply.Items!);
        Assert.Equal(SlurmError.Success, reply.ReturnCode);
    }

    [Fact]
    public void Slurmctld_loads_users_with_their_coordinators_and_the_resources_of_its_cluster()
    {
        var users = Decode<ConditionMessage<UserCondition>>("slurmctld", DbdMessageType.GetUsers).Condition;
        Assert.Equal((ushort)1, users.WithCoords);
        Assert.Null(users.AssociationCondition.UserList);

        var resources = Decode<ConditionMessage<ResourceCondition>>("slurmctld", DbdMessageType.GetRes).Condition;
        Assert.Equal(["alpha"], resources.ClusterList!);
        Assert.Equal((ushort)1, resources.WithClusters);
        Assert.Equal(ResourceRecord.FlagNotSet, resources.Flags);
        Assert.Empty(Decode<ListMessage<ResourceRecord>>("slurmctld", DbdMessageType.GotRes).Items!);
    }

    public static TheoryData<int> PushConnections() => new(1, 2, 3, 4);

    [Theory]
    [MemberData(nameof(PushConnections))]
    public void Accounting_update_pushes_and_their_answers_round_trip_byte_for_byte(int connection)
    {
        foreach (var message in CapturedConversation.Load("dbd_to_ctld", connection))
        {
            var decoded = SlurmRpcMessage.Unpack(message.Payload);
            var writer = new SlurmWriter();
            decoded.Pack(writer);
            Assert.Equal(Convert.ToHexString(message.Payload), Convert.ToHexString(writer.WrittenSpan));

            var body = new SlurmWriter();
            decoded.Body.Pack(body);
            Assert.Equal(decoded.BodyBytes, body.WrittenSpan.ToArray());
            Assert.Equal(SlurmHeader.FlagGlobalAuthKey, decoded.Header.Flags);
            Assert.Equal(ProtocolVersion.Slurm2205, decoded.Header.Version);
            Assert.StartsWith("MUNGE:", Assert.IsType<MungeCredential>(decoded.Credential).Credential);
            if (message.Direction == "s2c")
                Assert.Equal(SlurmError.Success, Assert.IsType<ResponseSlurmRc>(decoded.Body).ReturnCode);
            else
                Assert.IsType<AccountingUpdateMessage>(decoded.Body);
        }
    }

    private static List<UpdateObject> Updates(int connection) =>
        Assert.IsType<AccountingUpdateMessage>(SlurmRpcMessage.Unpack(
            CapturedConversation.Load("dbd_to_ctld", connection).Single(m => m.Direction == "c2s").Payload).Body).Updates;

    private static List<TRecord> Records<TRecord>(UpdateObject update, UpdateType type) where TRecord : IListRecord<TRecord>
    {
        Assert.Equal(type, update.Type);
        return Assert.IsType<UpdateObject<TRecord>>(update).Records!;
    }

    [Fact]
    public void The_add_account_push_adds_physics_under_root_and_shifts_the_root_user_association()
    {
        var updates = Updates(1);

        Assert.Equal(2, updates.Count);
        var added = Assert.Single(Records<AssociationRecord>(updates[0], UpdateType.AddAssoc));
        Assert.Equal(("physics", "alpha", "root", 1u), (added.Account, added.Cluster, added.ParentAccount, added.ParentId));
        Assert.Equal((3u, 2u, 3u), (added.Id, added.Lft, added.Rgt));
        Assert.Equal(["1"], added.QosList!);
        // The nested-set shift travels as a sparse record: id, cluster and the new lft, everything else unset.
        var shifted = Assert.Single(Records<AssociationRecord>(updates[1], UpdateType.ModifyAssoc));
        Assert.Equal((2u, 4u, SlurmValues.NoVal), (shifted.Id, shifted.Lft, shifted.Rgt));
        Assert.Null(shifted.Account);
    }

    [Fact]
    public void The_add_user_push_adds_alice_then_her_association_then_makes_it_her_default()
    {
        var updates = Updates(2);

        Assert.Equal([UpdateType.AddUser, UpdateType.AddAssoc, UpdateType.ModifyAssoc], updates.Select(u => u.Type));
        var user = Assert.Single(Records<UserRecord>(updates[0], UpdateType.AddUser));
        Assert.Equal("alice", user.Name);
        Assert.Empty(user.AssociationList!);
        var association = Assert.Single(Records<AssociationRecord>(updates[1], UpdateType.AddAssoc));
        Assert.Equal(("physics", "alice", 4u, 3u), (association.Account, association.User, association.Id, association.ParentId));
        var modified = Records<AssociationRecord>(updates[2], UpdateType.ModifyAssoc);
        Assert.Contains(modified, a => a.Id == 4 && a.IsDefault == 1);
    }

    [Fact]
    public void The_remove_account_push_removes_the_chem_association()
    {
        var updates = Updates(4);

        var removed = Assert.Single(Records<AssociationRecord>(updates[0], UpdateType.RemoveAssoc));
        Assert.Equal((5u, "alpha"), (removed.Id, removed.Cluster));
        Assert.All(updates.Skip(1), u => Assert.Equal(UpdateType.ModifyAssoc, u.Type));
    }

    [Fact]
    public void A_push_created_from_a_body_and_a_credential_packs_as_the_captured_one()
    {
        var captured = SlurmRpcMessage.Unpack(CapturedConversation.Load("dbd_to_ctld", 3).Single(m => m.Direction == "c2s").Payload);

        var created = SlurmRpcMessage.Create(captured.Body, captured.Credential);
        var writer = new SlurmWriter();
        created.Pack(writer);
        var expected = new SlurmWriter();
        captured.Pack(expected);

        Assert.Equal(captured.Header, created.Header);
        Assert.Equal(Convert.ToHexString(expected.WrittenSpan), Convert.ToHexString(writer.WrittenSpan));
    }
}
