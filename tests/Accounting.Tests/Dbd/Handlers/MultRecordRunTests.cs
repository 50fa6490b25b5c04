using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;
using Dapper;

namespace Accounting.Tests.Dbd.Handlers;

/// <summary>
/// Job and step records inside one DBD_SEND_MULT_MSG are stored together (MultRecordRun): the rows and
/// replies must be those of the same messages sent one by one, whether the run goes in one round trip or
/// falls back to the handlers, and a failing inner message still ends the batch where it did.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class MultRecordRunTests(SharedServices services)
{
    /// <summary>Long rolled up: completions rewind the rollup marks.</summary>
    private const long Submit = 1_790_000_000;

    private static JobStartMessage Start(uint jobId) => new()
    {
        Account = "root", AllocNodes = 1, AssocId = 2, EligibleTime = Submit, JobId = jobId, JobState = JobStateRunning,
        Name = $"job{jobId}", Nodes = "localhost", NodeIndexes = "0", Partition = "debug", Priority = 1, QosId = 1, ReqCpus = 1,
        StartTime = Submit + jobId, SubmitTime = Submit, Timelimit = SlurmValues.Infinite, TresAllocString = "1=1,2=1000,4=1",
        TresReqString = "1=1,2=1000,4=1", WorkDir = "/tmp",
    };

    private const uint JobStateRunning = 1;
    private const uint JobStateComplete = 3;

    private static StepStartMessage StepStart(uint jobId, uint stepId) => new()
    {
        AssocId = 2, Name = "batch", Nodes = "localhost", NodeIndexes = "0", NodeCount = 1, StartTime = Submit + jobId,
        JobSubmitTime = Submit, StepId = new SlurmStepId(jobId, stepId, SlurmValues.NoVal), TotalTasks = 1, TresAllocString = "1=1",
    };

    private static StepCompleteMessage StepComplete(uint jobId, uint stepId, string? jobTres = null) => new()
    {
        AssocId = 2, EndTime = Submit + jobId + 60, JobSubmitTime = Submit, StartTime = Submit + jobId, State = (ushort)JobStateComplete,
        StepId = new SlurmStepId(jobId, stepId, SlurmValues.NoVal), TotalTasks = 1, ExitCode = 256, JobTresAllocString = jobTres,
        Accounting = new JobAccounting
        {
            UserCpuSec = jobId, SysCpuUsec = 5, TresIds = [1, 2], TresUsageInMax = [10, 20], TresUsageInMaxNodeId = [0, 0],
            TresUsageInMaxTaskId = [0, 0], TresUsageInMin = [10, 20], TresUsageInMinNodeId = [0, 0], TresUsageInMinTaskId = [0, 0],
            TresUsageInTot = [10, 20], TresUsageOutMax = [0, 0], TresUsageOutMaxNodeId = [0, 0], TresUsageOutMaxTaskId = [0, 0],
            TresUsageOutMin = [0, 0], TresUsageOutMinNodeId = [0, 0], TresUsageOutMinTaskId = [0, 0], TresUsageOutTot = [0, 0],
        },
    };

    private static JobCompleteMessage Complete(uint jobId, long endTime) => new()
    {
        AssocId = 2, EndTime = endTime, JobId = jobId, JobState = JobStateComplete, Nodes = "localhost",
        StartTime = endTime == 0 ? 0 : Submit + jobId, SubmitTime = Submit, TresAllocString = "1=1,2=1000,4=1", ExitCode = 1,
    };

    [Fact]
    public async Task Starts_steps_and_completes_of_known_and_same_batch_jobs_store_what_the_messages_store_one_by_one()
    {
        IDbdMessage[] messages =
        [
            Start(1), Start(2), StepStart(1, SlurmStepId.BatchScript), StepStart(2, 0), StepStart(2, 1),
            StepComplete(1, SlurmStepId.BatchScript, jobTres: "1=2,2=2000,4=1"), StepComplete(2, 0),
            Complete(1, Submit + 100),
            // A complete without start or end time is ignored; a re-sent start and step change nothing.
            Complete(2, 0), Start(1), StepStart(2, 1),
        ];

        var oneByOne = await StoreAsync(messages, batched: false);
        var batched = await StoreAsync(messages, batched: true);

        Assert.Equal(oneByOne.Replies, batched.Replies);
        Assert.All(batched.Replies, reply => Assert.Equal(0, ReturnCode(reply)));
        Assert.Equal(oneByOne.Rows, batched.Rows);
        Assert.Contains(batched.Rows, row => row.StartsWith("step 1 -5 ") && row.Contains("exit_code=256"));
    }

    [Fact]
    public async Task Records_of_jobs_not_stored_yet_fall_back_and_store_what_the_messages_store_one_by_one()
    {
        IDbdMessage[] messages =
        [
            Start(3), StepStart(3, 0),
            // Steps and a complete of jobs never started: the handlers make their rows.
            StepStart(4, 0), StepComplete(4, 0), Complete(5, Submit + 50), StepComplete(3, 0), Complete(3, Submit + 70),
        ];

        var oneByOne = await StoreAsync(messages, batched: false);
        var batched = await StoreAsync(messages, batched: true);

        // A start rolled back to the savepoint has used an auto-increment value, so only the db_index may differ.
        Assert.Equal(oneByOne.Replies.Select(WithoutIndex), batched.Replies.Select(WithoutIndex));
        Assert.Equal(oneByOne.Rows, batched.Rows);
        Assert.Contains(batched.Rows, row => row.StartsWith("job 4 ") && row.Contains("job_name=allocation"));
    }

    [Fact]
    public async Task A_failing_message_after_records_ends_the_batch_there_and_the_records_before_it_are_stored()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await RegisteredAsync(daemon);
        var incomplete = new RecordMessage<ReservationRecord>(DbdMessageType.AddResv, new ReservationRecord { Id = 0, TimeStart = 1, Cluster = "alpha" });

        var reply = Assert.IsType<MultMessage>(await client.RequestAsync(MultMessage.FromMessages(DbdMessageType.SendMultMsg,
            [Start(6), StepStart(6, 0), incomplete, StepStart(6, 1)], ProtocolVersion.Current)));

        var inner = reply.DecodeBuffers(ProtocolVersion.Current).ToList();
        Assert.Equal([SlurmError.Success, SlurmError.Success, SlurmError.Error], inner.Select(ReturnCode));
        Assert.IsType<IdReturnCode>(inner[0]);
        Assert.Equal((ushort)DbdMessageType.AddResv, Assert.IsType<PersistRc>(inner[2]).RetInfo);
        using var database = services.MariaDb.Connect(daemon.Database);
        Assert.Equal([0], database.Query<int>("SELECT id_step FROM step"));
        Assert.Equal(((IdReturnCode)inner[0]).DbIndex, database.ExecuteScalar<ulong>("SELECT job_db_inx FROM job WHERE id_job = 6"));
    }

    [Fact]
    public async Task A_message_that_does_not_unpack_after_records_gets_the_unpack_error_and_the_records_before_it_are_stored()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await RegisteredAsync(daemon);
        var valid = MultMessage.FromMessages(DbdMessageType.SendMultMsg,
            [Start(7), StepStart(7, 0), StepComplete(7, 0), Complete(7, Submit + 80)], ProtocolVersion.Current);
        var batch = valid with { Buffers = [valid.Buffers![0], valid.Buffers[1], valid.Buffers[2][..12], valid.Buffers[3]] };

        var reply = Assert.IsType<MultMessage>(await client.RequestAsync(batch));

        var inner = reply.DecodeBuffers(ProtocolVersion.Current).ToList();
        Assert.Equal(3, inner.Count);
        Assert.Equal(PersistRc.Ok(DbdMessageType.StepStart), inner[1]);
        Assert.Equal(PersistRc.Failure(DbdMessageType.StepComplete, SlurmError.Error, "Failed to unpack DBD_STEP_COMPLETE message"), inner[2]);
        using var database = services.MariaDb.Connect(daemon.Database);
        Assert.Equal((0L, 0L), database.QuerySingle<(long, long)>(
            "SELECT s.time_end, j.time_end FROM step s JOIN job j ON j.job_db_inx = s.job_db_inx WHERE j.id_job = 7"));
    }

    /// <summary>The messages stored on a fresh daemon, in one MULT batch or one by one: the replies and the rows.</summary>
    private async Task<(List<IDbdMessage> Replies, List<string> Rows)> StoreAsync(IReadOnlyList<IDbdMessage> messages, bool batched)
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await RegisteredAsync(daemon);
        var replies = new List<IDbdMessage>();
        if (batched)
            replies.AddRange(Assert.IsType<MultMessage>(await client.RequestAsync(
                MultMessage.FromMessages(DbdMessageType.SendMultMsg, messages, ProtocolVersion.Current))).DecodeBuffers(ProtocolVersion.Current));
        else
            foreach (var message in messages)
                replies.Add(await client.RequestAsync(message));
        return (replies, Rows(daemon));
    }

    private static async Task<DbdClient> RegisteredAsync(RunningDaemon daemon)
    {
        var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);
        Assert.Equal(0, Assert.IsType<PersistRc>(await client.RequestAsync(new RegisterCtldMessage(1, 0x80, 109, 6817))).ReturnCode);
        return client;
    }

    /// <summary>Every column of the job and step rows and the rollup marks, but our own clock (mod_time) and the db_index.</summary>
    private List<string> Rows(RunningDaemon daemon)
    {
        using var connection = services.MariaDb.Connect(daemon.Database);
        static string Columns(IDictionary<string, object> row) => string.Join(" ", row
            .Where(column => column.Key is not ("job_db_inx" or "mod_time" or "job" or "step"))
            .Select(column => $"{column.Key}={column.Value}"));
        var rows = new List<string>();
        foreach (IDictionary<string, object> row in connection.Query("SELECT id_job AS job, job.* FROM job ORDER BY id_job"))
            rows.Add($"job {row["job"]} {Columns(row)}");
        foreach (IDictionary<string, object> row in connection.Query("""
            SELECT j.id_job AS job, s.id_step AS step, s.* FROM step s JOIN job j ON j.job_db_inx = s.job_db_inx ORDER BY j.id_job, s.id_step
            """))
            rows.Add($"step {row["job"]} {row["step"]} {Columns(row)}");
        rows.AddRange(connection.Query<string>("SELECT CONCAT_WS(' ', 'last_ran', hourly_rollup, daily_rollup, monthly_rollup) FROM last_ran"));
        return rows;
    }

    private static int ReturnCode(IDbdMessage reply) => reply switch
    {
        PersistRc persist => persist.ReturnCode,
        IdReturnCode id => id.ReturnCode,
        _ => throw new InvalidOperationException($"unexpected reply {reply.Type}"),
    };

    private static IDbdMessage WithoutIndex(IDbdMessage reply) => reply is IdReturnCode id ? id with { DbIndex = 0 } : reply;
}
