using Accounting.Dbd.Spool;
using Accounting.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Accounting.Tests.Dbd.Spool;

/// <summary>The spool on a real file system: durable appends, ordered replay, torn tails, the size limit.</summary>
public sealed class MessageSpoolTests
{
    private static byte[] Message(int n) => [0x05, 0x98, (byte)n, (byte)(n >> 8), 1, 2, 3];

    [Fact]
    public async Task Appended_records_come_back_in_order_after_reopening_and_replayed_ones_do_not()
    {
        using var directory = new TemporaryDirectory("spool");
        using (var spool = MessageSpool.Open(directory.Path, 1 << 20, NullLogger.Instance))
        {
            var sequences = await Task.WhenAll(Enumerable.Range(0, 50).Select(n => spool.AppendAsync("alpha", 0, 9728, Message(n), n)));
            Assert.Equal(Enumerable.Range(0, 50).Select(n => (long)n), sequences.Order());
            Assert.Equal(50, spool.Depth);
        }
        using (var reopened = MessageSpool.Open(directory.Path, 1 << 20, NullLogger.Instance))
        {
            var pending = reopened.Pending(1000);
            Assert.Equal(Enumerable.Range(0, 50).Select(n => (long)n), pending.Select(r => r.Sequence));
            Assert.All(pending, r => Assert.Equal(("alpha", 0u, (ushort)9728), (r.ClusterName, r.Uid, r.ProtocolVersion)));
            reopened.MarkReplayed(29);
            Assert.Equal(20, reopened.Depth);
            Assert.Equal(50L, await reopened.AppendAsync("alpha", 0, 9728, Message(50), 50));
        }
        using var last = MessageSpool.Open(directory.Path, 1 << 20, NullLogger.Instance);
        Assert.Equal(Enumerable.Range(30, 21).Select(n => (long)n), last.Pending(1000).Select(r => r.Sequence));
        last.MarkReplayed(50);
        Assert.Empty(last.Pending(1000));
        Assert.Equal((0L, 0L), (last.Depth, last.Bytes));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(11)]
    [InlineData(20)]
    public async Task A_torn_tail_is_cut_off_and_kept_aside_and_the_records_before_it_survive(int cutBytes)
    {
        using var directory = new TemporaryDirectory("spool");
        using (var spool = MessageSpool.Open(directory.Path, 1 << 20, NullLogger.Instance))
            for (int n = 0; n < 3; n++)
                await spool.AppendAsync("alpha", 0, 9728, Message(n), n);
        string segment = Directory.GetFiles(directory.Path, "spool-*.log").Single();
        using (var file = new FileStream(segment, FileMode.Open))
            file.SetLength(file.Length - cutBytes);

        using var reopened = MessageSpool.Open(directory.Path, 1 << 20, NullLogger.Instance);

        Assert.Equal([0L, 1L], reopened.Pending(10).Select(r => r.Sequence));
        Assert.True(File.Exists(segment + ".damaged"));
        Assert.Equal(2L, await reopened.AppendAsync("alpha", 0, 9728, Message(9), 9));
        Assert.Equal([0L, 1L, 2L], reopened.Pending(10).Select(r => r.Sequence));
    }

    [Fact]
    public async Task A_full_spool_refuses_new_records_and_keeps_the_old_ones()
    {
        using var directory = new TemporaryDirectory("spool");
        using var spool = MessageSpool.Open(directory.Path, 300, NullLogger.Instance);
        int stored = 0;
        while (true)
        {
            try
            {
                await spool.AppendAsync("alpha", 0, 9728, Message(stored), stored);
                stored++;
            }
            catch (SpoolFullException)
            {
                break;
            }
        }

        Assert.True(stored > 0 && spool.Bytes <= 300);
        Assert.Equal(stored, spool.Pending(1000).Count);
        spool.MarkReplayed(stored - 1);
        Assert.Equal((long)stored, await spool.AppendAsync("alpha", 0, 9728, Message(0), 0));
    }
}
