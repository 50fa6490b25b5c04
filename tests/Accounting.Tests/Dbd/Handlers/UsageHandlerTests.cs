using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;

namespace Accounting.Tests.Dbd.Handlers;

/// <summary>
/// DBD_GET_ASSOC/CLUSTER/WCKEY_USAGE (as_mysql_get_usage) and DBD_GET_RESVS (as_mysql_get_resvs) on
/// <see cref="UsageDataSet"/> with the real rollup's rows: what they return, what they refuse, and the
/// PrivateData=usage and PrivateData=reservations checks for readers below Operator.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class UsageHandlerTests(SharedServices services)
{
    private const uint Nobody = 65534;
    private const long Day = UsageDataSet.Day;

    private async Task<RunningDaemon> DaemonAsync(string privateData = "")
    {
        var daemon = await UsageDataSet.StartDaemonAsync(services, "auth/none", privateData.Length > 0 ? $"PrivateData={privateData}" : "");
        Assert.Equal(0, (await daemon.SacctmgrAsync("-i", "add", "user", "nobody", "account=theory", "cluster=alpha")).ExitCode);
        await using (var database = services.MariaDb.Connect(daemon.Database))
            RealUsageTables.Insert(database, UsageDataSet.Cluster);
        return daemon;
    }

    private static async Task<DbdClient> ConnectAsync(RunningDaemon daemon, uint uid)
    {
        var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit(uid))).ReturnCode);
        return client;
    }

    private static async Task<AssociationRecord> AssociationAsync(DbdClient client, string account, string user)
    {
        var reply = Assert.IsType<ListMessage<AssociationRecord>>(await client.RequestAsync(new ConditionMessage<AssociationCondition>(
            DbdMessageType.GetAssocs, new AssociationCondition { ClusterList = ["alpha"], AccountList = [account], UserList = [user] })));
        return reply.Items!.Single(a => a.Account == account && (a.User ?? "") == user);
    }

    private static ulong Cpu(IEnumerable<AccountingRecord> rows) => (ulong)rows.Where(r => r.Tres.Id == 1).Sum(r => (decimal)r.AllocSeconds);

    [Fact]
    public async Task Association_usage_sums_to_what_sreport_printed_and_carries_the_sub_accounts()
    {
        await using var daemon = await DaemonAsync();
        await using var client = await ConnectAsync(daemon, 0);
        var physics = await AssociationAsync(client, "physics", "");

        var reply = Assert.IsType<UsageMessage<AssociationRecord>>(await client.RequestAsync(
            new UsageMessage<AssociationRecord>(DbdMessageType.GetAssocUsage, physics, Day, Day + 86400)));

        Assert.Equal((DbdMessageType.GotAssocUsage, 0L, 0L), (reply.Type, reply.Start, reply.End));
        // sreport printed 1320 CPU minutes for physics on 2026-11-24: alice 390, bob 240 and theory's dave 690.
        Assert.Equal(1320ul * 60, Cpu(reply.Record.AccountingList!));
        Assert.All(reply.Record.AccountingList!, row => Assert.Equal(physics.Id, row.Id));
        Assert.All(reply.Record.AccountingList!, row => Assert.Equal(Day, row.PeriodStart));
    }

    [Fact]
    public async Task Cluster_usage_comes_from_the_hour_table_for_part_of_a_day()
    {
        await using var daemon = await DaemonAsync();
        await using var client = await ConnectAsync(daemon, 0);

        var reply = Assert.IsType<UsageMessage<ClusterRecord>>(await client.RequestAsync(
            new UsageMessage<ClusterRecord>(DbdMessageType.GetClusterUsage, new ClusterRecord { Name = "alpha" }, Day, Day + 12 * 3600)));

        var cpu = reply.Record.AccountingList!.Where(r => r.Tres.Id == 1).ToList();
        Assert.Equal(Enumerable.Range(0, 12).Select(h => Day + h * 3600L), cpu.Select(r => r.PeriodStart));
        Assert.Equal(2025ul * 60, (ulong)cpu.Sum(r => (decimal)r.AllocSeconds));
        Assert.All(cpu, r => Assert.Equal(("cpu", 8ul), (r.Tres.Type, r.Tres.Count)));
    }

    [Fact]
    public async Task A_record_without_id_or_with_an_unknown_cluster_is_a_problem_getting_usage_info()
    {
        await using var daemon = await DaemonAsync();
        await using var client = await ConnectAsync(daemon, 0);
        var alice = await AssociationAsync(client, "physics", "alice");

        foreach (IDbdMessage request in new IDbdMessage[]
        {
            new UsageMessage<AssociationRecord>(DbdMessageType.GetAssocUsage, alice with { Id = 0 }, Day, Day + 3600),
            new UsageMessage<AssociationRecord>(DbdMessageType.GetAssocUsage, alice with { Cluster = null }, Day, Day + 3600),
            new UsageMessage<ClusterRecord>(DbdMessageType.GetClusterUsage, new ClusterRecord { Name = "omega" }, Day, Day + 3600),
            new UsageMessage<ClusterRecord>(DbdMessageType.GetClusterUsage, new ClusterRecord(), Day, Day + 3600),
            new UsageMessage<WckeyRecord>(DbdMessageType.GetWckeyUsage, new WckeyRecord { Cluster = "alpha" }, Day, Day + 3600),
        })
        {
            var rc = Assert.IsType<PersistRc>(await client.RequestAsync(request));
            Assert.Equal((SlurmError.Error, "Problem getting usage info", (ushort)request.Type), (rc.ReturnCode, rc.Comment, rc.RetInfo));
        }
        // A wckey nobody rolled up has an empty list, not an error.
        var wckey = Assert.IsType<UsageMessage<WckeyRecord>>(await client.RequestAsync(new UsageMessage<WckeyRecord>(
            DbdMessageType.GetWckeyUsage, new WckeyRecord { Id = 1, Cluster = "alpha" }, Day, Day + 3600)));
        Assert.Empty(wckey.Record.AccountingList!);
    }

    [Fact]
    public async Task With_PrivateData_usage_a_user_reads_their_own_association_only()
    {
        await using var daemon = await DaemonAsync("usage");
        await using var root = await ConnectAsync(daemon, 0);
        var own = await AssociationAsync(root, "theory", "nobody");
        var dave = await AssociationAsync(root, "theory", "dave");
        await using var nobody = await ConnectAsync(daemon, Nobody);

        var mine = await nobody.RequestAsync(new UsageMessage<AssociationRecord>(DbdMessageType.GetAssocUsage, own, Day, Day + 86400));
        var other = await nobody.RequestAsync(new UsageMessage<AssociationRecord>(DbdMessageType.GetAssocUsage, dave, Day, Day + 86400));
        var asRoot = await root.RequestAsync(new UsageMessage<AssociationRecord>(DbdMessageType.GetAssocUsage, dave, Day, Day + 86400));

        Assert.Empty(Assert.IsType<UsageMessage<AssociationRecord>>(mine).Record.AccountingList!);
        Assert.Equal((SlurmError.Error, "Problem getting usage info"), (Assert.IsType<PersistRc>(other).ReturnCode, ((PersistRc)other).Comment));
        Assert.Equal(690ul * 60, Cpu(Assert.IsType<UsageMessage<AssociationRecord>>(asRoot).Record.AccountingList!));
        // As a coordinator of theory, nobody may read dave's usage too.
        Assert.Equal(0, (await daemon.SacctmgrAsync("-i", "add", "coordinator", "account=theory", "names=nobody")).ExitCode);
        var coordinated = await nobody.RequestAsync(new UsageMessage<AssociationRecord>(DbdMessageType.GetAssocUsage, dave, Day, Day + 86400));
        Assert.Equal(690ul * 60, Cpu(Assert.IsType<UsageMessage<AssociationRecord>>(coordinated).Record.AccountingList!));
    }

    [Fact]
    public async Task Reservations_are_found_by_id_name_and_window_and_PrivateData_keeps_them_to_operators()
    {
        await using var daemon = await DaemonAsync("reservations");
        await using var root = await ConnectAsync(daemon, 0);
        async Task<List<ReservationRecord>> FindAsync(DbdClient client, ReservationCondition condition) =>
            Assert.IsType<ListMessage<ReservationRecord>>(await client.RequestAsync(
                new ConditionMessage<ReservationCondition>(DbdMessageType.GetResvs, condition))).Items!;

        var all = await FindAsync(root, new ReservationCondition());
        var byName = await FindAsync(root, new ReservationCondition { NameList = ["resA"], WithUsage = 1 });
        var otherId = await FindAsync(root, new ReservationCondition { IdList = ["2"] });
        var before = await FindAsync(root, new ReservationCondition { TimeStart = Day, TimeEnd = Day + 13 * 3600 });
        var overlapping = await FindAsync(root, new ReservationCondition { TimeStart = Day + 13 * 3600 + 1800, TimeEnd = Day + 20 * 3600 });

        var resv = Assert.Single(all);
        Assert.Equal(("resA", "alpha", 1200.0), (resv.Name, resv.Cluster, resv.UnusedWall));
        Assert.Null(resv.TresList);
        // Job 107: 4 CPUs for the 40 minutes it ran inside the reservation.
        Assert.Equal(4ul * 2400, Assert.Single(byName).TresList!.Single(t => t.Id == 1).AllocSeconds);
        Assert.Empty(otherId);
        Assert.Empty(before);
        Assert.Single(overlapping);

        await using var nobody = await ConnectAsync(daemon, Nobody);
        var denied = Assert.IsType<PersistRc>(await nobody.RequestAsync(
            new ConditionMessage<ReservationCondition>(DbdMessageType.GetResvs, new ReservationCondition())));
        Assert.Equal((SlurmError.AccessDenied, "Access/permission denied"), (denied.ReturnCode, denied.Comment));
    }

    [Fact]
    public async Task With_PrivateData_jobs_a_reservation_counts_only_the_jobs_the_reader_may_see()
    {
        await using var daemon = await DaemonAsync("jobs");
        await using var nobody = await ConnectAsync(daemon, Nobody);
        var request = new ConditionMessage<ReservationCondition>(DbdMessageType.GetResvs, new ReservationCondition { WithUsage = 1 });

        var own = Assert.Single(Assert.IsType<ListMessage<ReservationRecord>>(await nobody.RequestAsync(request)).Items!);
        Assert.Equal(0, (await daemon.SacctmgrAsync("-i", "add", "coordinator", "account=chemistry", "names=nobody")).ExitCode);
        var coordinated = Assert.Single(Assert.IsType<ListMessage<ReservationRecord>>(await nobody.RequestAsync(request)).Items!);

        // Only carol's job 107 (chemistry) ran in the reservation.
        Assert.Null(own.TresList);
        Assert.Equal(4ul * 2400, coordinated.TresList!.Single(t => t.Id == 1).AllocSeconds);
    }
}
