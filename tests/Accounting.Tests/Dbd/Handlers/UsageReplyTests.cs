using Accounting.Dbd.Authentication;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;

namespace Accounting.Tests.Dbd.Handlers;

/// <summary>
/// The requests sreport sent to the real slurmdbd holding <see cref="UsageDataSet"/> (Fixtures/Vectors
/// sreport_account_by_user, sreport_user_topusage, sreport_resv_util), sent again to our daemon holding the
/// same set and the real rollup's rows: the usage lists come back record for record, in the real order.
/// Association ids are compared by account and user, since the two databases numbered them apart.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class UsageReplyTests(SharedServices services)
{
    private sealed class Replay(RunningDaemon daemon, DbdClient client) : IAsyncDisposable
    {
        public async Task<(IDbdMessage Real, IDbdMessage Ours)> AnswerAsync(string operation, DbdMessageType request)
        {
            var messages = CapturedConversation.Load(operation);
            var sent = messages.Single(m => m.Direction == "c2s" && m.FirstU16 == (ushort)request);
            var answered = messages.Single(m => m.Direction == "s2c" && m.Sequence == sent.Sequence);
            var real = DbdMessageDecoder.Decode(answered.Payload, ProtocolVersion.Current);
            var ours = await client.RequestAsync(DbdMessageDecoder.Decode(sent.Payload, ProtocolVersion.Current));
            return (real, ours);
        }

        public async ValueTask DisposeAsync()
        {
            await client.DisposeAsync();
            await daemon.DisposeAsync();
        }
    }

    private async Task<Replay> ReplayAsync()
    {
        var daemon = await UsageDataSet.StartDaemonAsync(services);
        await using (var database = services.MariaDb.Connect(daemon.Database))
            RealUsageTables.Insert(database, UsageDataSet.Cluster);
        var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.MungeInit(new MungeClient(services.Munge.Socket)))).ReturnCode);
        return new Replay(daemon, client);
    }

    [Fact]
    public async Task Cluster_usage_is_one_record_per_stored_row_in_the_real_order()
    {
        await using var replay = await ReplayAsync();
        foreach (string operation in new[] { "sreport_account_by_user", "sreport_user_topusage" })
        {
            var (real, ours) = await replay.AnswerAsync(operation, DbdMessageType.GetClusters);

            var expected = Assert.Single(Assert.IsType<ListMessage<ClusterRecord>>(real).Items!).AccountingList!;
            var actual = Assert.Single(Assert.IsType<ListMessage<ClusterRecord>>(ours).Items!).AccountingList!;
            Assert.NotEmpty(expected);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task Association_usage_carries_the_rows_of_the_association_and_everything_below_it()
    {
        await using var replay = await ReplayAsync();
        var (real, ours) = await replay.AnswerAsync("sreport_account_by_user", DbdMessageType.GetAssocs);

        var expected = Labelled(Assert.IsType<ListMessage<AssociationRecord>>(real).Items!);
        var actual = Labelled(Assert.IsType<ListMessage<AssociationRecord>>(ours).Items!);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var key in expected.Keys)
            Assert.Equal(expected[key], actual[key]);
        // The account physics carries its users' rows and those of theory's dave below it.
        Assert.True(expected[("physics", "")].Count > expected[("physics", "alice")].Count + expected[("physics", "bob")].Count);
    }

    [Fact]
    public async Task Users_with_associations_carry_the_same_usage()
    {
        await using var replay = await ReplayAsync();
        var (real, ours) = await replay.AnswerAsync("sreport_user_topusage", DbdMessageType.GetUsers);

        var expected = Labelled(Assert.IsType<ListMessage<UserRecord>>(real).Items!.SelectMany(u => u.AssociationList ?? []).ToList());
        var actual = Labelled(Assert.IsType<ListMessage<UserRecord>>(ours).Items!.SelectMany(u => u.AssociationList ?? []).ToList());
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var key in expected.Keys)
            Assert.Equal(expected[key], actual[key]);
    }

    [Fact]
    public async Task Reservations_carry_the_TRES_time_of_their_jobs_as_the_real_daemon_packs_it()
    {
        await using var replay = await ReplayAsync();
        var (real, ours) = await replay.AnswerAsync("sreport_resv_util", DbdMessageType.GetResvs);

        var expected = Assert.Single(Assert.IsType<ListMessage<ReservationRecord>>(real).Items!);
        var actual = Assert.Single(Assert.IsType<ListMessage<ReservationRecord>>(ours).Items!);
        Assert.NotNull(expected.TresList);
        Assert.Equal(expected.TresList, actual.TresList);
        Assert.Equal(expected with { Assocs = null, TresList = null }, actual with { Assocs = null, TresList = null });
    }

    /// <summary>
    /// Each association's usage by (account, user), the row ids dropped (they are the association's own
    /// id). The rows must come by period; within one period the real order is that of MySQL's filesort
    /// over the join (not stable, and sreport sums them), so there they are put in TRES, value order.
    /// </summary>
    private static Dictionary<(string Account, string User), List<AccountingRecord>> Labelled(List<AssociationRecord> associations)
    {
        foreach (var association in associations)
        {
            var rows = association.AccountingList ?? [];
            Assert.All(rows, row => Assert.Equal(association.Id, row.Id));
            Assert.Equal(rows.Select(r => r.PeriodStart).Order(), rows.Select(r => r.PeriodStart));
        }
        return associations.ToDictionary(a => (a.Account ?? "", a.User ?? ""),
            a => (a.AccountingList ?? []).Select(row => row with { Id = 0 })
                .OrderBy(r => r.PeriodStart).ThenBy(r => r.Tres.Id).ThenBy(r => r.AllocSeconds).ToList());
    }
}
