using Accounting.Dbd.Storage;
using Accounting.Model.Wire;

namespace Accounting.Tests.Dbd.Storage;

/// <summary>What GET_ASSOCS fills in from the tree, on a hand-built one with known answers.</summary>
public sealed class AssociationInheritanceTests
{
    private static readonly AssociationRow Root = new() { IdAssoc = 1, Acct = "root", Lft = 1, Rgt = 8, Qos = ",1,", MaxJobs = 10, Priority = 7, ClusterName = "alpha" };
    private static readonly AssociationRow Physics = new() { IdAssoc = 3, Acct = "physics", ParentAcct = "root", Lft = 2, Rgt = 7, GrpJobs = 5, MaxTresPj = "1=4", DefQosId = 2, ClusterName = "alpha" };
    private static readonly AssociationRow Theory = new() { IdAssoc = 4, Acct = "theory", ParentAcct = "physics", Lft = 3, Rgt = 6, DeltaQos = ",+2,-1,", MaxTresPj = "2=100,1=8", ClusterName = "alpha" };
    private static readonly AssociationRow Alice = new() { IdAssoc = 5, Acct = "theory", User = "alice", Lft = 4, Rgt = 5, MaxJobs = 3, Shares = 9, ClusterName = "alpha" };

    private static AssociationInheritance Tree(AssociationReadOptions options) => new([Root, Physics, Theory, Alice], options);

    [Fact]
    public void A_user_association_takes_every_unset_limit_from_the_nearest_account_above_it()
    {
        var alice = Tree(AssociationReadOptions.Default).ToRecord(Alice);

        Assert.Equal((3u, 7u, 2u, 9u, 4u), (alice.MaxJobs, alice.Priority, alice.DefaultQosId, alice.SharesRaw, alice.ParentId));
        Assert.Equal("1=8,2=100", alice.MaxTresPerJob);
        Assert.Equal(SlurmValues.Infinite, alice.GrpJobs);
        Assert.Null(alice.ParentAccount);
        Assert.Equal(["2"], alice.QosList);
    }

    [Fact]
    public void An_account_association_inherits_from_its_parent_account_and_names_it()
    {
        var physics = Tree(AssociationReadOptions.Default).ToRecord(Physics);

        Assert.Equal(("root", 1u, 10u, 5u), (physics.ParentAccount, physics.ParentId, physics.MaxJobs, physics.GrpJobs));
        Assert.Equal(["1"], physics.QosList);
        Assert.Equal("1=4", physics.MaxTresPerJob);
    }

    [Fact]
    public void The_root_association_has_no_parent_and_unset_limits_are_unlimited()
    {
        var root = Tree(AssociationReadOptions.Default).ToRecord(Root);

        Assert.Equal((0u, 0u, SlurmValues.Infinite), (root.ParentId, root.DefaultQosId, root.MaxWallPerJob));
        Assert.Null(root.ParentAccount);
    }

    [Fact]
    public void Without_parent_limits_only_the_parent_id_is_looked_up()
    {
        var alice = Tree(new AssociationReadOptions(false, true, false)).ToRecord(Alice);

        Assert.Equal((4u, 0u, SlurmValues.Infinite), (alice.ParentId, alice.DefaultQosId, alice.Priority));
        Assert.Empty(alice.QosList!);
    }

    [Fact]
    public void Raw_qos_shows_the_deltas_instead_of_applying_them()
    {
        var alice = Tree(new AssociationReadOptions(false, false, true)).ToRecord(Alice);

        Assert.Equal(["1", "+2", "-1"], alice.QosList);
    }

    [Fact]
    public void Tres_limits_combine_with_the_nearest_value_per_tres_winning_sorted_by_id() =>
        Assert.Equal("1=2,2=7,4=1", TresStrings.Combine("4=1,1=2", "1=9,2=7,1=3"));
}
