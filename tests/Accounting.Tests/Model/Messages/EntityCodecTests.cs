using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Tests.Model.Messages;

/// <summary>
/// The entity messages no capture contains (coordinators, wckeys, resources, transactions, usage, roll,
/// archive, every update object type) survive pack → decode → pack unchanged, with the NULL-vs-empty
/// distinctions of records spec §0.3 intact.
/// </summary>
public sealed class EntityCodecTests
{
    private static byte[] Pack(IDbdMessage message)
    {
        var writer = new SlurmWriter();
        DbdMessageFraming.Pack(message, writer, ProtocolVersion.Current);
        return writer.WrittenSpan.ToArray();
    }

    private static T RoundTrip<T>(T message) where T : IDbdMessage
    {
        byte[] packed = Pack(message);
        var decoded = Assert.IsType<T>(DbdMessageDecoder.Decode(packed, ProtocolVersion.Current));
        Assert.Equal(Convert.ToHexString(packed), Convert.ToHexString(Pack(decoded)));
        return decoded;
    }

    private static readonly AssociationRecord Association = new() { Account = "physics", Cluster = "alpha", User = "alice", Id = 4 };

    private static readonly List<AccountingRecord> Usage =
        [new AccountingRecord(3600, new TresRecord(0, 0, 1, null, "cpu"), 4, 1795341600)];

    private static readonly UserCondition Alice = new()
    {
        AssociationCondition = new AssociationCondition { UserList = ["alice"], PartitionList = [] },
        DefaultAccountList = [],
        WithCoords = 1,
    };

    [Fact]
    public void User_condition_and_record_keep_absent_and_empty_lists_apart()
    {
        var condition = RoundTrip(new ConditionMessage<UserCondition>(DbdMessageType.RemoveUsers, Alice)).Condition;
        Assert.Empty(condition.AssociationCondition.PartitionList!);
        Assert.Empty(condition.DefaultAccountList!);
        Assert.Null(condition.DefaultWckeyList);

        var user = new UserRecord
        {
            AdminLevel = AdminLevel.Operator,
            AssociationList = [Association],
            CoordAccounts = [new CoordinatorRecord("physics", 1), new CoordinatorRecord("sub", 0)],
            DefaultAccount = "",
            Name = "bob",
            OldName = "alice",
            WckeyList = [new WckeyRecord { Name = "", Cluster = "alpha", User = "bob", IsDefault = 1 }],
        };
        var modified = RoundTrip(new ModifyMessage<UserCondition, UserRecord>(DbdMessageType.ModifyUsers, Alice, user)).Record;
        Assert.Equal("", modified.DefaultAccount);
        Assert.Null(modified.DefaultWckey);
        Assert.Equal([(ushort)1, (ushort)0], modified.CoordAccounts!.Select(c => c.Direct));
        Assert.Equal("", Assert.Single(modified.WckeyList!).Name);
        Assert.Equal(AdminLevel.Operator, RoundTrip(new ListMessage<UserRecord>(DbdMessageType.AddUsers, [user])).Items![0].AdminLevel);
    }

    [Fact]
    public void Account_coordinator_messages_send_zero_for_no_accounts_and_decode_it_as_no_list()
    {
        var add = RoundTrip(new AccountCoordMessage(DbdMessageType.AddAccountCoords, ["physics", "chem"], Alice));
        Assert.Equal(["physics", "chem"], add.AccountList!);
        Assert.Equal(["alice"], add.Condition.AssociationCondition.UserList!);

        byte[] empty = Pack(new AccountCoordMessage(DbdMessageType.RemoveAccountCoords, [], new UserCondition()));
        Assert.Equal([0, 0, 0, 0], empty[2..6]);
        Assert.Null(Assert.IsType<AccountCoordMessage>(DbdMessageDecoder.Decode(empty, ProtocolVersion.Current)).AccountList);
        Assert.Equal(empty, Pack(new AccountCoordMessage(DbdMessageType.RemoveAccountCoords, null, new UserCondition())));
    }

    [Fact]
    public void Association_messages_use_the_association_condition_and_record()
    {
        var condition = new AssociationCondition { AccountList = ["physics"], UserList = [] };
        RoundTrip(new ListMessage<AssociationRecord>(DbdMessageType.AddAssocs, [Association]));
        RoundTrip(new ListMessage<AssociationRecord>(DbdMessageType.GotProbs, [Association with { Id = 3 }]));
        RoundTrip(new ConditionMessage<AssociationCondition>(DbdMessageType.GetProbs, condition));
        Assert.Empty(RoundTrip(new ConditionMessage<AssociationCondition>(DbdMessageType.RemoveAssocs, condition)).Condition.UserList!);
        RoundTrip(new ModifyMessage<AssociationCondition, AssociationRecord>(DbdMessageType.ModifyAssocs, condition,
            new AssociationRecord { IsDefault = 1, QosList = [""] }));
    }

    [Fact]
    public void Qos_modify_and_remove_use_the_qos_condition()
    {
        var condition = new QosCondition(null, null, null, ["normal"], 0, 0);
        Assert.Equal(["normal"], RoundTrip(new ConditionMessage<QosCondition>(DbdMessageType.RemoveQos, condition)).Condition.NameList!);
        var modify = RoundTrip(new ModifyMessage<QosCondition, QosRecord>(DbdMessageType.ModifyQos, condition,
            new QosRecord { Priority = 10, PreemptList = ["+2"] }));
        Assert.Equal(10u, modify.Record.Priority);
    }

    [Fact]
    public void Wckey_messages_round_trip_with_their_usage_rows()
    {
        var wckey = new WckeyRecord { AccountingList = Usage, Cluster = "alpha", Id = 7, Name = "proj", User = "alice", IsDefault = 1 };
        var condition = new WckeyCondition { ClusterList = ["alpha"], NameList = [], UserList = ["alice"], WithUsage = 1, UsageStart = 1, UsageEnd = 2 };

        Assert.Equal(3600ul, RoundTrip(new ListMessage<WckeyRecord>(DbdMessageType.GotWckeys, [wckey])).Items![0].AccountingList![0].AllocSeconds);
        RoundTrip(new ListMessage<WckeyRecord>(DbdMessageType.AddWckeys, [wckey with { AccountingList = null }]));
        Assert.Empty(RoundTrip(new ConditionMessage<WckeyCondition>(DbdMessageType.GetWckeys, condition)).Condition.NameList!);
        RoundTrip(new ConditionMessage<WckeyCondition>(DbdMessageType.RemoveWckeys, condition));
    }

    [Fact]
    public void Modify_wckeys_has_no_layout_in_22_05()
    {
        byte[] message = Pack(new ModifyMessage<WckeyCondition, WckeyRecord>(DbdMessageType.ModifyWckeys, new WckeyCondition(), new WckeyRecord()));

        Assert.Throws<WireFormatException>(() => DbdMessageDecoder.Decode(message, ProtocolVersion.Current));
    }

    [Fact]
    public void Resource_records_carry_the_cluster_list_and_the_marked_single_cluster_share()
    {
        var license = new ResourceRecord
        {
            ClusterResourceList = [new ClusterResourceRecord("alpha", 50), new ClusterResourceRecord("beta", 25)],
            ClusterResource = new ClusterResourceRecord("alpha", 50),
            Count = 100,
            Id = 1,
            Name = "matlab",
            Server = "flex",
            Flags = 0,
            Type = ResourceType.License,
        };
        var condition = new ResourceCondition { ClusterList = ["alpha"], WithClusters = 1 };

        var got = Assert.Single(RoundTrip(new ListMessage<ResourceRecord>(DbdMessageType.GotRes, [license])).Items!);
        Assert.Equal(new ClusterResourceRecord("alpha", 50), got.ClusterResource);
        Assert.Equal(["alpha", "beta"], got.ClusterResourceList!.Select(c => c.Cluster));
        Assert.Null(RoundTrip(new ListMessage<ResourceRecord>(DbdMessageType.AddRes, [new ResourceRecord()])).Items![0].ClusterResource);
        Assert.Equal(ResourceRecord.FlagNotSet, RoundTrip(new ConditionMessage<ResourceCondition>(DbdMessageType.GetRes, condition)).Condition.Flags);
        RoundTrip(new ConditionMessage<ResourceCondition>(DbdMessageType.RemoveRes, condition));
        RoundTrip(new ModifyMessage<ResourceCondition, ResourceRecord>(DbdMessageType.ModifyRes, condition, new ResourceRecord { PercentUsed = 10 }));
    }

    [Fact]
    public void Events_and_transactions_round_trip()
    {
        var events = new EventCondition { ClusterList = ["alpha"], CondFlags = EventCondition.CondFlagOpen, EventType = EventType.Node, NodeList = "n[1-2]", StateList = [] };
        Assert.Equal("n[1-2]", RoundTrip(new ConditionMessage<EventCondition>(DbdMessageType.GetEvents, events)).Condition.NodeList);
        RoundTrip(new ListMessage<EventRecord>(DbdMessageType.GotEvents,
            [new EventRecord { Cluster = "alpha", NodeName = "n1", EventType = EventType.Node, PeriodStart = 10, PeriodEnd = 20, ReasonUid = 0, State = 1 }]));

        var transactions = new TransactionCondition { ActorList = ["root"], TimeStart = 5, WithAssocInfo = 1 };
        Assert.Equal(["root"], RoundTrip(new ConditionMessage<TransactionCondition>(DbdMessageType.GetTxn, transactions)).Condition.ActorList!);
        var row = new TransactionRecord { Action = (ushort)DbdMessageType.AddAccounts, ActorName = "root", Id = 9, Timestamp = 1795341808, WhereQuery = "name='physics'" };
        Assert.Equal(row, Assert.Single(RoundTrip(new ListMessage<TransactionRecord>(DbdMessageType.GotTxn, [row])).Items!));
    }

    [Fact]
    public void Usage_messages_carry_their_own_record_type_then_start_and_end()
    {
        var association = RoundTrip(new UsageMessage<AssociationRecord>(DbdMessageType.GotAssocUsage, Association with { AccountingList = Usage }, 0, 0));
        Assert.Single(association.Record.AccountingList!);
        var request = RoundTrip(new UsageMessage<AssociationRecord>(DbdMessageType.GetAssocUsage, Association, 100, 200));
        Assert.Equal((100, 200), (request.Start, request.End));

        var cluster = new ClusterRecord
        {
            Name = "alpha",
            AccountingList = [new ClusterAccountingRecord(1, new TresRecord(0, 2, 1, null, "cpu"), 2, 3, 4, 5, 1795341600, 6)],
        };
        RoundTrip(new UsageMessage<ClusterRecord>(DbdMessageType.GetClusterUsage, cluster with { AccountingList = null }, 1, 2));
        Assert.Equal(6ul, RoundTrip(new UsageMessage<ClusterRecord>(DbdMessageType.GotClusterUsage, cluster, 0, 0)).Record.AccountingList![0].PlannedSeconds);
        var wckey = new WckeyRecord { Id = 7, Cluster = "alpha", AccountingList = Usage };
        RoundTrip(new UsageMessage<WckeyRecord>(DbdMessageType.GetWckeyUsage, wckey, 1, 2));
        RoundTrip(new UsageMessage<WckeyRecord>(DbdMessageType.GotWckeyUsage, wckey, 0, 0));
    }

    [Fact]
    public void Roll_usage_packs_end_before_start()
    {
        var roll = RoundTrip(new RollUsageMessage(1, End: 2000, Start: 1000));

        Assert.Equal(((ushort)1, 2000L, 1000L), (roll.ArchiveData, roll.End, roll.Start));
        Assert.Equal(2000, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(Pack(roll).AsSpan(4)));
    }

    [Fact]
    public void Archive_dump_and_load_round_trip_and_the_default_condition_is_the_null_form()
    {
        var dump = new ArchiveCondition
        {
            ArchiveDir = "/var/archive",
            JobCondition = new JobCondition { ClusterList = ["alpha"], StepList = [new SelectedStep(12, SlurmValues.NoVal, SlurmValues.NoVal, 7, SlurmValues.NoVal)] },
            PurgeJob = 0x20000 | 30,
        };
        var decoded = RoundTrip(new ConditionMessage<ArchiveCondition>(DbdMessageType.ArchiveDump, dump)).Condition;
        Assert.Equal(7u, Assert.Single(decoded.JobCondition.StepList!).ArrayTaskId);
        Assert.Equal(SlurmValues.NoVal, decoded.PurgeEvent);

        // slurmdb_pack_archive_cond(NULL): two NULL strings, the job-cond NULL form (db_flags NOTSET), seven NO_VAL.
        var writer = new SlurmWriter();
        new ArchiveCondition().Pack(writer);
        Assert.Equal(4 + 4 + 120 + 7 * 4, writer.Length);
        Assert.Equal(JobCondition.DbFlagNotSet, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(writer.WrittenSpan[(8 + 24)..]));

        var load = RoundTrip(new ArchiveLoadMessage(new ArchiveRecord("/var/archive/file", null)));
        Assert.Equal("/var/archive/file", load.Record.ArchiveFile);
    }

    public static TheoryData<UpdateType> RecordUpdateTypes() =>
        new(Enum.GetValues<UpdateType>().Where(t => UpdateObject.RecordTypeOf(t) is not null));

    private static UpdateObject Sample(UpdateType type) => UpdateObject.RecordTypeOf(type)!.Name switch
    {
        nameof(UserRecord) => new UpdateObject<UserRecord>(type, [new UserRecord { Name = "alice", OldName = "al", CoordAccounts = [] }]),
        nameof(AssociationRecord) => new UpdateObject<AssociationRecord>(type, [Association, Association with { Id = 5 }]),
        nameof(QosRecord) => new UpdateObject<QosRecord>(type, [new QosRecord { Name = "normal", Id = 1 }]),
        nameof(WckeyRecord) => new UpdateObject<WckeyRecord>(type, [new WckeyRecord { Name = "proj" }]),
        nameof(ResourceRecord) => new UpdateObject<ResourceRecord>(type, [new ResourceRecord { Name = "matlab", ClusterResource = new ClusterResourceRecord("alpha", 10) }]),
        nameof(TresRecord) => new UpdateObject<TresRecord>(type, [new TresRecord(0, 4, 1001, "gpu", "gres")]),
        nameof(FederationRecord) => new UpdateObject<FederationRecord>(type, [new FederationRecord(true, "fed1", 0, []), FederationRecord.Null]),
        nameof(StatsRecord) => new UpdateObject<StatsRecord>(type, [new StatsRecord(new RollupStats(null, []), [], [new RpcStats(1, 1401, 5)], 7, null)]),
        var other => throw new InvalidOperationException(other),
    };

    private static SlurmRpcMessage PushRoundTrip(List<UpdateObject> updates)
    {
        var writer = new SlurmWriter();
        SlurmRpcMessage.Create(new AccountingUpdateMessage(updates), new NoneCredential(0, 0, "vm")).Pack(writer);
        var decoded = SlurmRpcMessage.Unpack(writer.WrittenSpan);
        var again = new SlurmWriter();
        decoded.Pack(again);
        Assert.Equal(Convert.ToHexString(writer.WrittenSpan), Convert.ToHexString(again.WrittenSpan));
        return decoded;
    }

    [Theory]
    [MemberData(nameof(RecordUpdateTypes))]
    public void Every_record_update_type_round_trips_with_records_empty_and_absent(UpdateType type)
    {
        var sample = Sample(type);
        var empty = (UpdateObject)Activator.CreateInstance(sample.GetType(), type, Activator.CreateInstance(
            typeof(List<>).MakeGenericType(UpdateObject.RecordTypeOf(type)!)))!;
        var absent = (UpdateObject)Activator.CreateInstance(sample.GetType(), type, null)!;

        var updates = Assert.IsType<AccountingUpdateMessage>(PushRoundTrip([sample, empty, absent]).Body).Updates;

        Assert.All(updates, u => Assert.Equal(type, u.Type));
        Assert.All(updates, u => Assert.IsType(sample.GetType(), u));
    }

    [Fact]
    public void Cluster_updates_are_the_bare_type_and_an_empty_push_counts_zero()
    {
        var decoded = PushRoundTrip([new ClusterUpdateObject(UpdateType.AddCluster), new ClusterUpdateObject(UpdateType.RemoveCluster)]);
        Assert.Equal(4 + 2 + 2, decoded.BodyBytes.Length);
        Assert.Equal([UpdateType.AddCluster, UpdateType.RemoveCluster],
            Assert.IsType<AccountingUpdateMessage>(decoded.Body).Updates.Select(u => u.Type));

        Assert.Equal([0, 0, 0, 0], PushRoundTrip([]).BodyBytes);
    }

    [Fact]
    public void An_update_object_refuses_records_its_type_does_not_carry()
    {
        Assert.Throws<ArgumentException>(() => new UpdateObject<UserRecord>(UpdateType.AddAssoc, []));
        Assert.Throws<ArgumentException>(() => new ClusterUpdateObject(UpdateType.AddUser));
    }

    [Fact]
    public void Slurmctld_answers_decode_with_their_return_code()
    {
        var writer = new SlurmWriter();
        SlurmRpcMessage.Create(new ResponseSlurmRc(13), new NoneCredential(0, 0, null)).Pack(writer);

        var decoded = SlurmRpcMessage.Unpack(writer.WrittenSpan);

        Assert.Equal((ushort)SlurmMessageType.ResponseSlurmRc, decoded.Header.MessageType);
        Assert.Equal(13, Assert.IsType<ResponseSlurmRc>(decoded.Body).ReturnCode);
    }
}
