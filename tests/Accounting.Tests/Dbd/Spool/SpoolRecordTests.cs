using Accounting.Dbd.Spool;
using Accounting.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Accounting.Tests.Dbd.Spool;

/// <summary>What a spooled record keeps besides the message, and the db_index block that survives restarts.</summary>
public sealed class SpoolRecordTests
{
    [Fact]
    public async Task A_record_keeps_its_peer_and_the_db_indexes_it_was_answered_with_in_order_and_a_batch_replays_from_where_it_stopped()
    {
        using var directory = new TemporaryDirectory("spool");
        using (var spool = MessageSpool.Open(directory.Path, 1 << 20, NullLogger.Instance))
        {
            await spool.AppendAsync("alpha", 0, 9728, [0x05, 0x91, 1], 10, "127.0.0.1:6817", [101, 0, 103]);
            await spool.AppendAsync("", 7, 9728, [0x05, 0x9a], 11);
            await spool.AppendAsync("beta", 0, 9728, [0x05, 0x98], 12, "[::1]:1");
        }
        using var reopened = MessageSpool.Open(directory.Path, 1 << 20, NullLogger.Instance);
        var first = reopened.Pending(2);
        Assert.Equal(("alpha", "127.0.0.1:6817", 10L), (first[0].ClusterName, first[0].Peer, first[0].ArrivalTime));
        Assert.Equal([101ul, 0ul, 103ul], first[0].DbIndexes);
        Assert.Empty(first[1].DbIndexes);
        Assert.Equal(("", "", 7u), (first[1].ClusterName, first[1].Peer, first[1].Uid));
        Assert.Equal(103ul, reopened.HighestDbIndex());
        reopened.MarkReplayed(first[^1].Sequence);
        var rest = Assert.Single(reopened.Pending(10));
        Assert.Equal(("beta", "[::1]:1", 2L), (rest.ClusterName, rest.Peer, rest.Sequence));
    }

    [Fact]
    public void A_second_daemon_cannot_open_a_spool_in_use()
    {
        using var directory = new TemporaryDirectory("spool");
        using var spool = MessageSpool.Open(directory.Path, 1 << 20, NullLogger.Instance);
        var exception = Assert.Throws<IOException>(() => MessageSpool.Open(directory.Path, 1 << 20, NullLogger.Instance));
        Assert.Contains("in use by another process", exception.Message);
    }

    [Fact]
    public void Values_of_the_block_are_never_handed_out_twice_across_restarts()
    {
        using var directory = new TemporaryDirectory("spool");
        var block = JobIndexBlock.Load(directory.Path, 0);
        Assert.False(block.Exists);
        Assert.Null(block.TryDraw());

        block.Replace(1000, 1004);
        Assert.Equal([1000ul, 1001ul], new[] { block.TryDraw(), block.TryDraw() }.Select(v => v!.Value));
        // A restart: 1001 is in a spooled record, so the next value is 1002 although the file says 1000.
        var restarted = JobIndexBlock.Load(directory.Path, 1001);
        Assert.Equal(1002ul, restarted.TryDraw());
        // Replay stores the records and records the values drawn before the records go.
        restarted.PersistDrawn();
        var again = JobIndexBlock.Load(directory.Path, 0);
        Assert.Equal([1003ul, 1004ul], new[] { again.TryDraw(), again.TryDraw() }.Select(v => v!.Value));
        Assert.Null(again.TryDraw());
        Assert.True(again.Drawn);
    }
}
