using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;
using Dapper;

namespace Accounting.Tests.Dbd.Jobs;

/// <summary>
/// Row selection and computed fields of DBD_GET_JOBS_COND beyond the captures (records spec §8.6), on
/// jobs written into the tables as the storing side writes them.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class JobQuerySemanticsTests(SharedServices services)
{
    private const long T0 = 1_780_000_000;
    private const uint Complete = 3, Running = 1, Pending = 0, Requeue = 0x400, Resizing = 0x2000, Revoked = 0x80000;
    private const uint BatchStep = SlurmStepId.BatchScript, NoVal = SlurmValues.NoVal;

    /// <summary>A finished (or running, pending) job with a batch step and step 0; db_index 0 lets the table number it.</summary>
    private static JobRecord Job(uint id, long submit, uint state = Complete, long? start = null, long? end = null) => new()
    {
        JobId = id, Submit = submit, Eligible = submit, Start = start ?? submit + 10,
        End = end ?? (state is Running or Pending ? 0 : submit + 100), State = state,
        AssocId = 2, QosId = 1, JobName = "job", Partition = "debug", Account = "root", Nodes = "localhost", AllocNodes = 1,
        Timelimit = SlurmValues.Infinite, Flags = 0x14, TresAllocString = "1=1", TresReqString = "1=1",
        Steps = [Step(id, BatchStep, submit + 10, state is Running ? 0 : submit + 100), Step(id, 0, submit + 20, state is Running ? 0 : submit + 90)],
    };

    private static StepRecord Step(uint job, uint step, long start, long end) => new()
    {
        StepId = new SlurmStepId(job, step, NoVal), Start = start, End = end, State = (ushort)(end == 0 ? Running : Complete),
        StepName = step == BatchStep ? "batch" : "step", Nodes = "localhost", NodeCount = 1, TaskCount = 1,
    };

    private static JobCondition Window(long start, long end, uint flags = JobConditionFlags.NoTruncate) =>
        new() { ClusterList = ["alpha"], Flags = flags, UsageStart = start, UsageEnd = end };

    private async Task<(RunningDaemon Daemon, DbdClient Client)> StartAsync(IEnumerable<JobRecord> jobs, uint uid = 0, string extraConf = "")
    {
        var daemon = await RunningDaemon.StartAsync(services, "auth/none", extraConf);
        await CapturedJobs.PrepareAsync(daemon, services, munge: false, withJobs: false);
        using (var connection = JobTableRows.Open(services, daemon.Database))
        {
            uint alpha = JobTableRows.ClusterId(connection, "alpha");
            foreach (var job in jobs)
                JobTableRows.Insert(connection, alpha, job);
        }
        var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit(uid))).ReturnCode);
        return (daemon, client);
    }

    private static async Task<List<JobRecord>> QueryAsync(DbdClient client, JobCondition condition) =>
        Assert.IsType<ListMessage<JobRecord>>(await client.RequestAsync(new ConditionMessage<JobCondition>(DbdMessageType.GetJobsCond, condition))).Items!;

    [Fact]
    public async Task Only_the_newest_record_of_a_job_id_is_returned_unless_duplicates_are_asked_for()
    {
        JobRecord[] jobs = [Job(100, T0, Requeue), Job(100, T0 + 1000), Job(200, T0 + 2, Requeue), Job(200, T0 + 3, Resizing),
            Job(200, T0 + 4000), Job(300, T0 + 5, Revoked)];
        var (daemon, client) = await StartAsync(jobs);
        await using (daemon)
        await using (client)
        {
            var window = Window(T0 - 100, T0 + 10_000);
            // The resized record is kept and, like every older record, put in front (_cluster_get_jobs prepends).
            Assert.Equal([(200, T0 + 3), (100, T0 + 1000), (200, T0 + 4000)],
                (await QueryAsync(client, window)).Select(j => ((int)j.JobId, j.Submit)));
            Assert.Equal([(200, T0 + 2), (200, T0 + 3), (100, T0), (100, T0 + 1000), (200, T0 + 4000), (300, T0 + 5)],
                (await QueryAsync(client, window with { Flags = window.Flags | JobConditionFlags.Duplicates })).Select(j => ((int)j.JobId, j.Submit)));
        }
    }

    [Fact]
    public async Task A_step_list_selects_jobs_and_steps_and_shows_never_eligible_jobs()
    {
        var held = Job(500, T0 + 50, Pending, start: 0) with { Eligible = 0, Steps = [] };
        JobRecord[] jobs = [Job(400, T0), Job(401, T0), held];
        var (daemon, client) = await StartAsync(jobs);
        await using (daemon)
        await using (client)
        {
            var byId = Window(0, T0 + 10_000) with { StepList = [new SelectedStep(400, NoVal, NoVal, NoVal, NoVal), new SelectedStep(401, 0, NoVal, NoVal, NoVal)] };
            var result = await QueryAsync(client, byId);
            Assert.Equal([(400u, 1u, 2), (401u, 0u, 1)], result.Select(j => (j.JobId, j.ShowFull, j.Steps.Count)));
            Assert.Equal(0u, result[1].Steps.Single().StepId.StepId);
            // Batch (-5) sorts before step 0, as stored.
            Assert.Equal([BatchStep, 0u], result[0].Steps.Select(s => s.StepId.StepId));

            Assert.Empty(await QueryAsync(client, Window(T0 - 100, T0 + 10_000) with { JobNameList = ["never"] }));
            Assert.DoesNotContain(500u, (await QueryAsync(client, Window(T0 - 100, T0 + 10_000))).Select(j => j.JobId));
            Assert.Equal([500u], (await QueryAsync(client, Window(0, T0 + 10_000) with { StepList = [new SelectedStep(500, NoVal, NoVal, NoVal, NoVal)] }))
                .Select(j => j.JobId));
        }
    }

    [Fact]
    public async Task Array_tasks_and_het_components_are_selected_by_their_own_ids()
    {
        JobRecord[] jobs =
        [
            Job(600, T0) with { ArrayJobId = 600, ArrayTaskId = 2 }, Job(601, T0) with { ArrayJobId = 600, ArrayTaskId = 3 },
            Job(700, T0) with { HetJobId = 700, HetJobOffset = 0 }, Job(701, T0) with { HetJobId = 700, HetJobOffset = 1 },
        ];
        var (daemon, client) = await StartAsync(jobs);
        await using (daemon)
        await using (client)
        {
            async Task<IEnumerable<uint>> Ids(params SelectedStep[] steps) =>
                (await QueryAsync(client, Window(0, T0 + 10_000) with { StepList = [.. steps] })).Select(j => j.JobId);
            Assert.Equal([601u], await Ids(new SelectedStep(600, NoVal, NoVal, 3, NoVal)));
            Assert.Equal([600u, 601u], await Ids(new SelectedStep(600, NoVal, NoVal, NoVal, NoVal)));
            Assert.Equal([701u], await Ids(new SelectedStep(700, NoVal, NoVal, NoVal, 1)));
            Assert.Equal([700u, 701u], await Ids(new SelectedStep(700, NoVal, NoVal, NoVal, NoVal)));
        }
    }

    [Fact]
    public async Task States_select_what_was_in_that_state_during_the_window()
    {
        JobRecord[] jobs = [Job(800, T0), Job(801, T0 + 5000, Running), Job(802, T0 + 200) with { State = 5 }];
        var (daemon, client) = await StartAsync(jobs);
        await using (daemon)
        await using (client)
        {
            async Task<IEnumerable<uint>> Ids(JobCondition condition) => (await QueryAsync(client, condition)).Select(j => j.JobId);
            var window = Window(T0, T0 + 10_000);
            // Every job that ran during the window was RUNNING in it; after the others ended only 801 is.
            Assert.Equal([800u, 801u, 802u], await Ids(window with { StateList = ["1"] }));
            Assert.Equal([801u], await Ids(Window(T0 + 1000, T0 + 10_000) with { StateList = ["1"] }));
            Assert.Equal([802u], await Ids(window with { StateList = ["5"] }));
            Assert.Equal([800u, 802u], await Ids(window with { StateList = ["3", "5"] }));
            // Completed before the window: not in it.
            Assert.Empty(await Ids(Window(T0 + 1000, T0 + 2000) with { StateList = ["3"] }));
            // PENDING alone returns no steps.
            Assert.All(await QueryAsync(client, Window(T0 - 100, T0 + 10_000) with { StateList = ["0"] }), job => Assert.Empty(job.Steps));
        }
    }

    [Fact]
    public async Task List_filters_apply_to_the_stored_columns()
    {
        JobRecord[] jobs =
        [
            Job(900, T0) with { Uid = 1000, Gid = 1000, Account = "physics", AssocId = 4, Partition = "gpu", JobName = "a" },
            Job(901, T0) with { Uid = 0, JobName = "b", QosId = 2 },
        ];
        var (daemon, client) = await StartAsync(jobs);
        await using (daemon)
        await using (client)
        {
            async Task<IEnumerable<uint>> Ids(JobCondition condition) => (await QueryAsync(client, condition)).Select(j => j.JobId);
            var window = Window(T0 - 100, T0 + 10_000);
            Assert.Equal([900u], await Ids(window with { UserIdList = ["1000"] }));
            Assert.Equal([900u], await Ids(window with { GroupIdList = ["1000"] }));
            Assert.Equal([900u], await Ids(window with { AccountList = ["physics"] }));
            Assert.Equal([900u], await Ids(window with { AssociationIdList = ["4"] }));
            Assert.Equal([900u], await Ids(window with { PartitionList = ["gpu"] }));
            Assert.Equal([901u], await Ids(window with { JobNameList = ["b"] }));
            Assert.Equal([901u], await Ids(window with { QosList = ["2"] }));
            Assert.Equal([900u, 901u], await Ids(window with { UserIdList = [] }));
            // The association's account and user name, not the stored account, are returned.
            var alice = (await QueryAsync(client, window with { UserIdList = ["1000"] })).Single();
            Assert.Equal(("physics", "alice", 3u), (alice.Account, alice.User, alice.Lft));
        }
    }

    [Fact]
    public async Task Without_no_trunc_times_are_clamped_to_the_window()
    {
        var job = Job(1000, T0, start: T0 + 10, end: T0 + 1010) with { Steps = [Step(1000, BatchStep, T0 + 10, T0 + 1010)] };
        var (daemon, client) = await StartAsync([job]);
        await using (daemon)
        await using (client)
        {
            var whole = (await QueryAsync(client, Window(T0, T0 + 5000))).Single();
            Assert.Equal((T0 + 10, T0 + 1010, 1000u), (whole.Start, whole.End, whole.Elapsed));
            var truncated = (await QueryAsync(client, Window(T0 + 500, T0 + 700, flags: 0))).Single();
            Assert.Equal((T0 + 500, T0 + 700, 200u), (truncated.Start, truncated.End, truncated.Elapsed));
            var step = truncated.Steps.Single();
            Assert.Equal((T0 + 500, T0 + 700, 200u), (step.Start, step.End, step.Elapsed));
        }
    }

    [Fact]
    public async Task Runaway_queries_need_an_operator_and_wide_windows_are_refused_to_users()
    {
        var (daemon, client) = await StartAsync([], uid: 4242, extraConf: "MaxQueryTimeRange=60");
        await using (daemon)
        {
            await using (client)
            {
                var runaway = Assert.IsType<PersistRc>(await client.RequestAsync(new ConditionMessage<JobCondition>(DbdMessageType.GetJobsCond,
                    Window(0, 0, JobConditionFlags.Runaway))));
                Assert.Equal(SlurmError.AccessDenied, runaway.ReturnCode);
            }
            await using var user = await DbdClient.ConnectAsync(daemon.EndPoint);
            Assert.Equal(0, (await user.InitAsync(DbdClient.NoneInit(4242))).ReturnCode);
            var wide = Assert.IsType<PersistRc>(await user.RequestAsync(new ConditionMessage<JobCondition>(DbdMessageType.GetJobsCond,
                Window(T0, T0 + 7200))));
            Assert.Equal((SlurmError.DbQueryTooWide, (ushort)DbdMessageType.GetJobsCond), (wide.ReturnCode, wide.RetInfo));
            Assert.Empty(await QueryAsync(user, Window(T0, T0 + 3600)));
        }
    }

    [Fact]
    public async Task With_private_data_jobs_a_user_sees_only_jobs_of_their_own_associations()
    {
        // uid 1 is the system user "daemon", so that the uid names a user as the reference requires.
        JobRecord[] jobs = [Job(1100, T0) with { Uid = 1, AssocId = 5 }, Job(1101, T0) with { Uid = 0, AssocId = 2 }];
        var (daemon, client) = await StartAsync(jobs, uid: 1, extraConf: "PrivateData=jobs");
        await using (daemon)
        await using (client)
        {
            var window = Window(T0 - 100, T0 + 10_000);
            Assert.Empty(await QueryAsync(client, window));
            await using (var root = await DbdClient.ConnectAsync(daemon.EndPoint))
            {
                Assert.Equal(0, (await root.InitAsync(DbdClient.NoneInit())).ReturnCode);
                Assert.Equal(PersistRc.Ok(DbdMessageType.AddAssocs), await root.RequestAsync(new ListMessage<AssociationRecord>(DbdMessageType.AddAssocs,
                    [new AssociationRecord { Cluster = "alpha", Account = "physics", User = "daemon", IsDefault = SlurmValues.NoVal16 }])));
                Assert.Equal(SlurmError.Success, Assert.IsType<PersistRc>(await root.RequestAsync(new FiniMessage(0, 1))).ReturnCode);
                Assert.Equal([1100u, 1101u], (await QueryAsync(root, window)).Select(j => j.JobId));
            }
            Assert.Equal([1100u], (await QueryAsync(client, window)).Select(j => j.JobId));
            // A script is only ever sent for a listed job.
            Assert.Empty(await QueryAsync(client, window with { Flags = JobConditionFlags.Script | JobConditionFlags.NoStep }));
        }
    }

    [Fact]
    public async Task Used_nodes_keep_jobs_and_steps_that_ran_on_them()
    {
        JobRecord[] jobs =
        [
            Job(1200, T0) with { Nodes = "node[01-02]", Steps = [Step(1200, 0, T0 + 20, T0 + 30) with { Nodes = "node02" }, Step(1200, 1, T0 + 20, T0 + 30) with { Nodes = "node01" }] },
            Job(1201, T0) with { Nodes = "node03" },
        ];
        var (daemon, client) = await StartAsync(jobs);
        await using (daemon)
        await using (client)
        {
            var result = Assert.Single(await QueryAsync(client, Window(T0 - 100, T0 + 10_000) with { UsedNodes = "node[02,05]" }));
            Assert.Equal((1200u, 0u), (result.JobId, result.Steps.Single().StepId.StepId));
        }
    }

    [Fact]
    public async Task Numeric_and_text_filters_follow_setup_job_cond_limits()
    {
        JobRecord[] jobs =
        [
            Job(1300, T0) with { StateReasonPrev = 35, Constraints = "gpu&fast", Flags = 0, TresAllocString = "1=4,4=2", AllocNodes = 2, Timelimit = 30, Wckey = "w1", ReservationId = 9 },
            Job(1301, T0) with { Constraints = "", Flags = 0x8 },
        ];
        var (daemon, client) = await StartAsync(jobs);
        await using (daemon)
        await using (client)
        {
            async Task<IEnumerable<uint>> Ids(JobCondition condition) => (await QueryAsync(client, condition)).Select(j => j.JobId);
            var window = Window(T0 - 100, T0 + 10_000);
            Assert.Equal([1300u], await Ids(window with { ReasonList = ["35"] }));
            Assert.Equal([1300u], await Ids(window with { ConstraintList = ["gpu", "fast"] }));
            Assert.Equal([1301u], await Ids(window with { ConstraintList = [""] }));
            Assert.Equal([1300u], await Ids(window with { DbFlags = 0 }));
            Assert.Equal([1301u], await Ids(window with { DbFlags = 0x8 }));
            Assert.Equal([1300u], await Ids(window with { CpusMin = 3, CpusMax = 4 }));
            Assert.Equal([1300u], await Ids(window with { NodesMin = 2 }));
            Assert.Equal([1300u], await Ids(window with { TimeLimitMin = 10, TimeLimitMax = 60 }));
            Assert.Equal([1300u], await Ids(window with { WckeyList = ["w1"] }));
            Assert.Equal([1300u], await Ids(window with { ReservationIdList = ["9"] }));
        }
    }

    [Fact]
    public async Task The_batch_script_is_returned_for_a_listed_job()
    {
        var (daemon, client) = await StartAsync([Job(1400, T0)]);
        await using (daemon)
        await using (client)
        {
            using (var connection = JobTableRows.Open(services, daemon.Database))
            {
                connection.Execute("""
                    INSERT INTO job_script (cluster_id, script_hash, batch_script) SELECT cluster_id, '2:ab', '#!/bin/sh' FROM job WHERE id_job = 1400;
                    UPDATE job SET script_hash_inx = LAST_INSERT_ID() WHERE id_job = 1400
                    """);
            }
            var listed = Window(0, T0 + 10_000, JobConditionFlags.NoTruncate | JobConditionFlags.Script | JobConditionFlags.NoStep)
                with { StepList = [new SelectedStep(1400, NoVal, NoVal, NoVal, NoVal)] };
            var job = Assert.Single(await QueryAsync(client, listed));
            Assert.Equal(("#!/bin/sh", ""), (job.Script, job.Env));
            Assert.Equal("", (await QueryAsync(client, Window(T0 - 100, T0 + 10_000))).Single().Script);
        }
    }
}
