using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Tests.Model.Records;

/// <summary>
/// MinimumPackedSize is what list counts are checked against before anything is allocated, so it must
/// never exceed what a real record takes: the smallest instance of each record packs exactly to it.
/// </summary>
public sealed class MinimumPackedSizeTests
{
    private static int PackedLength<T>(T record) where T : IWireRecord<T>
    {
        var writer = new SlurmWriter();
        record.Pack(writer);
        return writer.Length;
    }

    [Fact]
    public void The_smallest_entity_records_pack_to_exactly_their_minimum()
    {
        Assert.Equal(AccountRecord.MinimumPackedSize, PackedLength(new AccountRecord()));
        Assert.Equal(UserRecord.MinimumPackedSize, PackedLength(new UserRecord()));
        Assert.Equal(CoordinatorRecord.MinimumPackedSize, PackedLength(new CoordinatorRecord(null, 0)));
        Assert.Equal(WckeyRecord.MinimumPackedSize, PackedLength(new WckeyRecord()));
        Assert.Equal(ResourceRecord.MinimumPackedSize, PackedLength(new ResourceRecord()));
        Assert.Equal(ClusterResourceRecord.MinimumPackedSize, PackedLength(new ClusterResourceRecord(null, 0)));
        Assert.Equal(EventRecord.MinimumPackedSize, PackedLength(new EventRecord()));
        Assert.Equal(TransactionRecord.MinimumPackedSize, PackedLength(new TransactionRecord()));
        Assert.Equal(SelectedStep.MinimumPackedSize, PackedLength(new SelectedStep(0, 0, 0, 0, 0)));
        Assert.Equal(StatsRecord.MinimumPackedSize, PackedLength(new StatsRecord(new RollupStats(null, []), null, null, 0, null)));
        Assert.Equal(UpdateObject.MinimumPackedSize, PackedLength<UpdateObject>(new ClusterUpdateObject(UpdateType.AddCluster)));
        Assert.Equal(UpdateObject.MinimumPackedSize + 4,
            PackedLength<UpdateObject>(new UpdateObject<TresRecord>(UpdateType.AddTres, null)));
    }

    [Fact]
    public void Filled_records_are_longer_than_their_minimum()
    {
        var association = new AssociationRecord { Account = "physics", Cluster = "alpha" };
        Assert.True(PackedLength(new AccountRecord { Name = "physics", AssociationList = [association] }) > AccountRecord.MinimumPackedSize);
        Assert.True(PackedLength(new UserRecord { Name = "alice", CoordAccounts = [new CoordinatorRecord("physics", 1)] }) > UserRecord.MinimumPackedSize);
        Assert.True(PackedLength(new ResourceRecord { ClusterResource = new ClusterResourceRecord("alpha", 50) }) > ResourceRecord.MinimumPackedSize);
    }
}
