using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;
using Dapper;
using MySql.Data.MySqlClient;

namespace Accounting.Tests.Dbd.Handlers;

/// <summary>
/// What the controller messages store (wire spec §9, §10; as_mysql_cluster.c, as_mysql_job.c,
/// as_mysql_resv.c), checked in the database after each message sequence a controller may send.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class ControllerStorageTests(SharedServices services)
{
    private const long Submit = 1_800_000_000;

    private sealed class Controller(RunningDaemon daemon, DbdClient client, MySqlConnection database) : IAsyncDisposable
    {
        public DbdClient Client => client;
        public MySqlConnection Database => database;

        public async Task<int> RcAsync(IDbdMessage message) => Assert.IsType<PersistRc>(await client.RequestAsync(message)).ReturnCode;

        public async ValueTask DisposeAsync()
        {
            await database.DisposeAsync();
            await client.DisposeAsync();
            await daemon.DisposeAsync();
        }
    }

    /// <summary>A fresh daemon with cluster alpha registered by a root controller connection.</summary>
    private async Task<Controller> RegisteredAsync()
    {
        var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);
        var controller = new Controller(daemon, client, services.MariaDb.Connect(daemon.Database));
        Assert.Equal(0, await controller.RcAsync(new RegisterCtldMessage(1, 0x80, 109, 6817)));
        return controller;
    }

    private static ClusterTresMessage Tres(string nodes, string tres, long time) => new(DbdMessageType.ClusterTres, nodes, time, tres);

    [Fact]
    public async Task Registration_creates_the_cluster_with_its_root_association_and_records_the_controller()
    {
        await using var controller = await RegisteredAsync();

        var cluster = controller.Database.QuerySingle<(string Host, uint Port, ushort Rpc, uint Flags, uint Select)>(
            "SELECT control_host, control_port, rpc_version, flags, plugin_id_select FROM cluster WHERE name = 'alpha'");
        Assert.Equal(("127.0.0.1", 6817u, ProtocolVersion.Current, 0x80u, 109u), cluster);
        Assert.Equal(1, controller.Database.ExecuteScalar<int>("SELECT COUNT(*) FROM assoc WHERE acct = 'root' AND `user` = ''"));
        // A second registration (a restarted controller) changes the port only.
        Assert.Equal(0, await controller.RcAsync(new RegisterCtldMessage(1, 0x80, 109, 6900)));
        Assert.Equal(6900u, controller.Database.ExecuteScalar<uint>("SELECT control_port FROM cluster WHERE name = 'alpha'"));

        // When the controller's connection ends, the cluster is no longer registered (fini_ctld).
        await controller.Client.DisposeAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (controller.Database.ExecuteScalar<uint>("SELECT control_port FROM cluster WHERE name = 'alpha'") != 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.Equal(("", 0u), controller.Database.QuerySingle<(string, uint)>("SELECT control_host, control_port FROM cluster WHERE name = 'alpha'"));
    }

    [Fact]
    public async Task Cluster_TRES_answers_first_registration_unchanged_TRES_change_and_node_change()
    {
        await using var controller = await RegisteredAsync();

        Assert.Equal(SlurmError.AccountingFirstRegistration, await controller.RcAsync(Tres("localhost", "1=2,2=1000", Submit)));
        Assert.Equal(SlurmError.Success, await controller.RcAsync(Tres("localhost", "1=2,2=1000", Submit + 10)));
        Assert.Equal(SlurmError.AccountingTresChangeDb, await controller.RcAsync(Tres("localhost", "1=4,2=1000", Submit + 20)));
        Assert.Equal(SlurmError.AccountingNodesChangeDb, await controller.RcAsync(Tres("n[1-2]", "1=4,2=1000", Submit + 30)));

        var events = controller.Database.Query<(string Nodes, string Tres, long Start, long End)>(
            "SELECT cluster_nodes, tres, time_start, time_end FROM event WHERE node_name = '' ORDER BY time_start").ToList();
        Assert.Equal([("localhost", "1=2,2=1000", Submit, Submit + 20), ("localhost", "1=4,2=1000", Submit + 20, Submit + 30),
            ("n[1-2]", "1=4,2=1000", Submit + 30, 0L)], events);
    }

    [Fact]
    public async Task Node_down_opens_an_event_once_up_closes_it_and_GET_EVENTS_lists_it()
    {
        await using var controller = await RegisteredAsync();
        var down = new NodeStateMessage("localhost", "maintenance", 0, NodeStateMessage.NodeDown, Submit, 0x201, "1=2,2=1000");

        Assert.Equal(0, await controller.RcAsync(down));
        Assert.Equal(0, await controller.RcAsync(down with { EventTime = Submit + 5 }));
        Assert.Equal(0, await controller.RcAsync(new NodeStateMessage("localhost", null, 0, NodeStateMessage.NodeUp, Submit + 60, 0, null)));

        var reply = Assert.IsType<ListMessage<EventRecord>>(await controller.Client.RequestAsync(new ConditionMessage<EventCondition>(
            DbdMessageType.GetEvents, new EventCondition { ClusterList = ["alpha"], EventType = EventType.Node })));
        var node = Assert.Single(reply.Items!);
        Assert.Equal(("alpha", "localhost", "maintenance", 0x201u, Submit, Submit + 60, "1=2,2=1000"),
            (node.Cluster, node.NodeName, node.Reason, node.State, node.PeriodStart, node.PeriodEnd, node.TresString));
    }

    [Fact]
    public async Task A_complete_before_the_start_makes_the_row_and_the_later_start_merges_into_it()
    {
        await using var controller = await RegisteredAsync();
        var complete = new JobCompleteMessage
        {
            JobId = 9, SubmitTime = Submit, StartTime = Submit + 1, EndTime = Submit + 2, JobState = 5, ExitCode = 768, Nodes = "localhost",
        };
        var start = new JobStartMessage
        {
            JobId = 9, SubmitTime = Submit, StartTime = Submit + 1, EligibleTime = Submit, JobState = 1, Name = "wrap", Nodes = "localhost",
            DbIndex = JobStartMessage.DbIndexPending, Uid = 0, Gid = 0, Partition = "debug", AllocNodes = 1,
        };

        Assert.Equal(0, await controller.RcAsync(complete));
        long row = controller.Database.ExecuteScalar<long>("SELECT job_db_inx FROM job WHERE id_job = 9");
        var first = Assert.IsType<IdReturnCode>(await controller.Client.RequestAsync(start));
        var again = Assert.IsType<ListMessage<IdReturnCode>>(await controller.Client.RequestAsync(
            new ListMessage<JobStartMessage>(DbdMessageType.SendMultJobStart, [start, start with { JobId = 10 }])));
        Assert.Equal(0, await controller.RcAsync(complete));

        Assert.Equal(new IdReturnCode(9, (ulong)row, 0, 0), first);
        Assert.Equal(DbdMessageType.GotMultJobStart, again.Type);
        Assert.Equal((ulong)row, again.Items![0].DbIndex);
        Assert.NotEqual((ulong)row, again.Items[1].DbIndex);
        var job = controller.Database.QuerySingle<(string Name, uint State, long End, uint Exit, string Partition)>(
            "SELECT job_name, state, time_end, exit_code, `partition` FROM job WHERE id_job = 9");
        Assert.Equal(("wrap", 5u, Submit + 2, 768u, "debug"), job);
    }

    [Fact]
    public async Task Suspend_and_resume_count_once_even_when_re_sent_and_a_flush_cancels_what_is_open()
    {
        await using var controller = await RegisteredAsync();
        var start = new JobStartMessage { JobId = 11, SubmitTime = Submit, StartTime = Submit + 1, JobState = 1, Nodes = "localhost" };
        ulong index = Assert.IsType<IdReturnCode>(await controller.Client.RequestAsync(start)).DbIndex;
        var suspend = new JobSuspendMessage(0, index, 11, 2, Submit, Submit + 10);
        var resume = suspend with { JobState = 1, SuspendTime = Submit + 40 };

        foreach (var message in new[] { suspend, suspend, resume, resume })
            Assert.Equal(0, await controller.RcAsync(message));
        Assert.Equal(0, await controller.RcAsync(new ClusterTresMessage(DbdMessageType.FlushJobs, null, Submit + 100, null)));

        Assert.Equal((Submit + 10, Submit + 40), controller.Database.QuerySingle<(long, long)>("SELECT time_start, time_end FROM suspend"));
        Assert.Equal((30L, 4u, Submit + 100), controller.Database.QuerySingle<(long, uint, long)>(
            "SELECT time_suspended, state, time_end FROM job WHERE id_job = 11"));
    }

    [Fact]
    public async Task Sacct_without_no_trunc_takes_the_suspended_seconds_inside_its_window_off_the_elapsed_time()
    {
        await using var controller = await RegisteredAsync();
        const long submit = 1_700_000_000; // in the past: a window is clamped to now
        var start = new JobStartMessage { JobId = 13, SubmitTime = submit, EligibleTime = submit, StartTime = submit + 1, JobState = 1, Nodes = "localhost" };
        ulong index = Assert.IsType<IdReturnCode>(await controller.Client.RequestAsync(start)).DbIndex;
        var suspend = new JobSuspendMessage(0, index, 13, 2, submit, submit + 10);
        Assert.Equal(0, await controller.RcAsync(suspend));
        Assert.Equal(0, await controller.RcAsync(suspend with { JobState = 1, SuspendTime = submit + 40 }));
        Assert.Equal(0, await controller.RcAsync(new ClusterTresMessage(DbdMessageType.FlushJobs, null, submit + 100, null)));

        var job = Assert.IsType<ListMessage<JobRecord>>(await controller.Client.RequestAsync(new ConditionMessage<JobCondition>(
            DbdMessageType.GetJobsCond, new JobCondition { UsageStart = submit + 20, UsageEnd = submit + 200 }))).Items!.Single();
        Assert.Equal((20u, 60u), (job.Suspended, job.Elapsed));
    }

    [Fact]
    public async Task A_step_complete_stores_the_usage_strings_built_from_jobacct()
    {
        await using var controller = await RegisteredAsync();
        var stepId = new SlurmStepId(12, 0, SlurmValues.NoVal);
        ulong[] Pair(ulong cpu, ulong mem) => [cpu, mem];
        var accounting = new JobAccounting
        {
            UserCpuSec = 3, UserCpuUsec = 500, SysCpuSec = 1, SysCpuUsec = 7,
            TresIds = [1, 2],
            TresUsageInTot = Pair(100, 2000), TresUsageInMax = Pair(60, SlurmValues.Infinite64), TresUsageInMaxNodeId = Pair(0, 0),
            TresUsageInMaxTaskId = Pair(1, 0), TresUsageInMin = Pair(40, 900), TresUsageInMinNodeId = Pair(0, 0),
            TresUsageInMinTaskId = Pair(0, 1), TresUsageOutMax = Pair(SlurmValues.Infinite64, SlurmValues.Infinite64),
            TresUsageOutMaxNodeId = Pair(0, 0), TresUsageOutMaxTaskId = Pair(0, 0), TresUsageOutMin = Pair(0, 0),
            TresUsageOutMinNodeId = Pair(0, 0), TresUsageOutMinTaskId = Pair(0, 0), TresUsageOutTot = Pair(10, 20),
        };

        Assert.Equal(0, await controller.RcAsync(new StepStartMessage
        {
            StepId = stepId, Name = "hostname", Nodes = "localhost", NodeCount = 1, TotalTasks = 2, StartTime = Submit + 1, JobSubmitTime = Submit,
        }));
        Assert.Equal(0, await controller.RcAsync(new StepCompleteMessage
        {
            StepId = stepId, Accounting = accounting, TotalTasks = 2, StartTime = Submit + 1, EndTime = Submit + 5, JobSubmitTime = Submit,
            State = 1, ExitCode = 0,
        }));

        var step = controller.Database.QuerySingle<(uint State, long End, ulong UserSec, uint UserUsec, string InAve, string InTot, string InMax, string OutAve)>(
            "SELECT state, time_end, user_sec, user_usec, tres_usage_in_ave, tres_usage_in_tot, tres_usage_in_max, tres_usage_out_ave FROM step");
        Assert.Equal((3u, Submit + 5, 3ul, 500u, "1=50,2=1000", "1=100,2=2000", "1=60", "1=5,2=10"), step);
        // The job row the step made, with the reference's defaults, waits for the job's own start.
        Assert.Equal(("allocation", 0u), controller.Database.QuerySingle<(string, uint)>("SELECT job_name, state FROM job WHERE id_job = 12"));
    }

    [Fact]
    public async Task Reservations_are_added_changed_in_place_before_they_start_split_after_and_removed()
    {
        await using var controller = await RegisteredAsync();
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var future = new ReservationRecord { Id = 1, Cluster = "alpha", Name = "later", TimeStart = now + 3600, TimeEnd = now + 7200, TresString = "1=2", Flags = 0 };
        var started = new ReservationRecord { Id = 2, Cluster = "alpha", Name = "now", TimeStart = now - 600, TimeEnd = now + 600, TresString = "1=2", Flags = 0 };
        RecordMessage<ReservationRecord> Message(DbdMessageType type, ReservationRecord record) => new(type, record);

        Assert.Equal(0, await controller.RcAsync(Message(DbdMessageType.AddResv, future)));
        Assert.Equal(0, await controller.RcAsync(Message(DbdMessageType.AddResv, future)));
        Assert.Equal(0, await controller.RcAsync(Message(DbdMessageType.AddResv, started)));
        Assert.Equal(0, await controller.RcAsync(Message(DbdMessageType.ModifyResv, future with { TresString = "1=1", TimeStartPrev = future.TimeStart })));
        Assert.Equal(0, await controller.RcAsync(Message(DbdMessageType.ModifyResv,
            started with { TresString = "1=1", TimeStart = now - 60, TimeStartPrev = started.TimeStart })));
        Assert.Equal(0, await controller.RcAsync(Message(DbdMessageType.RemoveResv, future with { TimeStartPrev = now })));
        Assert.Equal(0, await controller.RcAsync(Message(DbdMessageType.RemoveResv, started with { TimeStart = now - 60, TimeStartPrev = now })));

        var rows = controller.Database.Query<(uint Id, long Start, long End, string Tres, bool Deleted)>(
            "SELECT id_resv, time_start, time_end, tres, deleted FROM resv ORDER BY id_resv, time_start").ToList();
        Assert.Equal([(2u, now - 600, now - 60, "1=2", false), (2u, now - 60, now, "1=1", true)], rows);
    }

    [Fact]
    public async Task GET_RES_answers_an_empty_list_when_there_are_no_resources()
    {
        await using var controller = await RegisteredAsync();

        var reply = await controller.Client.RequestAsync(new ConditionMessage<ResourceCondition>(DbdMessageType.GetRes,
            new ResourceCondition { ClusterList = ["alpha"], WithClusters = 1 }));

        var list = Assert.IsType<ListMessage<ResourceRecord>>(reply);
        Assert.Equal(DbdMessageType.GotRes, list.Type);
        Assert.Empty(list.Items!);
    }
}
