using System.Net;
using System.Net.Sockets;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Tests.Support;

/// <summary>
/// A controller on our codec that behaves as slurmctld's agent does with its queue: one connection,
/// one message at a time, each re-sent until it is answered with rc 0 (a lost connection is re-opened,
/// with a fresh persist init and registration). It runs jobs (start, a step, its end, the job end),
/// alone or as slurmctld batches them (DBD_SEND_MULT_JOB_START, DBD_SEND_MULT_MSG), and remembers what
/// was acknowledged.
/// </summary>
public sealed class FakeSlurmctld(Func<IPEndPoint> endPoint, Func<PersistInitMessage> init) : IAsyncDisposable
{
    public const long Submit = 1_800_000_000;
    private const string Tres = "1=1,2=100,4=1";

    private DbdClient? _client;

    /// <summary>The db_index each job start was acknowledged with, by job id.</summary>
    public Dictionary<uint, ulong> DbIndexes { get; } = [];

    /// <summary>Jobs whose every message was acknowledged.</summary>
    public List<uint> FinishedJobs { get; } = [];

    public int Acknowledged { get; private set; }
    public int Refusals { get; private set; }
    public int Reconnects { get; private set; }

    /// <summary>The last refusal's reply, for the tests that look at it.</summary>
    public IDbdMessage? LastRefusal { get; private set; }

    /// <summary>Makes <see cref="SendAsync"/> give up after the first refusal instead of retrying (the spool-limit test).</summary>
    public bool StopAtRefusal { get; set; }

    public static JobStartMessage Start(uint jobId, string? workDir = null) => new()
    {
        JobId = jobId, SubmitTime = Submit + jobId, EligibleTime = Submit + jobId, StartTime = Submit + jobId + 1, JobState = 1,
        Name = "wrap", Nodes = "localhost", DbIndex = JobStartMessage.DbIndexPending, Uid = 0, Gid = 0, Partition = "debug",
        Account = "root", AllocNodes = 1, ReqCpus = 1, TresAllocString = Tres, TresReqString = Tres, WorkDir = workDir ?? "/tmp",
    };

    private static IDbdMessage[] AfterStart(uint jobId, ulong dbIndex)
    {
        var step = new SlurmStepId(jobId, 0, SlurmValues.NoVal);
        long start = Submit + jobId + 1;
        return
        [
            new StepStartMessage
            {
                DbIndex = dbIndex, StepId = step, Name = "wrap", Nodes = "localhost", NodeCount = 1, TotalTasks = 1,
                StartTime = start, JobSubmitTime = Submit + jobId, TresAllocString = Tres,
            },
            new StepCompleteMessage
            {
                DbIndex = dbIndex, StepId = step, TotalTasks = 1, StartTime = start, EndTime = start + 5, JobSubmitTime = Submit + jobId,
                State = 3, ExitCode = 0,
            },
            new JobCompleteMessage
            {
                DbIndex = dbIndex, JobId = jobId, SubmitTime = Submit + jobId, StartTime = start, EndTime = start + 6, JobState = 3,
                ExitCode = 0, Nodes = "localhost", TresAllocString = Tres,
            },
        ];
    }

    /// <summary>Job <paramref name="jobId"/> from start to end; batched as slurmctld's agent batches a full queue.</summary>
    public async Task<bool> RunJobAsync(uint jobId, bool batched)
    {
        ulong dbIndex;
        if (batched)
        {
            var starts = await SendAsync(new ListMessage<JobStartMessage>(DbdMessageType.SendMultJobStart, [Start(jobId)]));
            if (starts is null)
                return false;
            dbIndex = ((ListMessage<IdReturnCode>)starts).Items![0].DbIndex;
        }
        else
        {
            if (await SendAsync(Start(jobId)) is not IdReturnCode id)
                return false;
            dbIndex = id.DbIndex;
        }
        DbIndexes[jobId] = dbIndex;
        var rest = AfterStart(jobId, dbIndex);
        if (batched)
        {
            if (await SendAsync(MultMessage.FromMessages(DbdMessageType.SendMultMsg, rest, ProtocolVersion.Current)) is null)
                return false;
        }
        else
        {
            foreach (var message in rest)
                if (await SendAsync(message) is null)
                    return false;
        }
        FinishedJobs.Add(jobId);
        return true;
    }

    /// <summary>Sends until acknowledged; null only when <see cref="StopAtRefusal"/> is set and the daemon refused.</summary>
    public async Task<IDbdMessage?> SendAsync(IDbdMessage message)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{DbdMessageTypeInfo.SlurmName(message.Type)} was never acknowledged");
            IDbdMessage reply;
            try
            {
                _client ??= await ConnectAsync();
                reply = await _client.RequestAsync(message);
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException)
            {
                await DropConnectionAsync();
                await Task.Delay(100);
                continue;
            }
            if (Succeeded(message, reply))
            {
                Acknowledged++;
                return reply;
            }
            Refusals++;
            LastRefusal = reply;
            if (StopAtRefusal)
                return null;
            await Task.Delay(100);
        }
    }

    private async Task<DbdClient> ConnectAsync()
    {
        var client = await DbdClient.ConnectAsync(endPoint());
        try
        {
            if ((await client.InitAsync(init())).ReturnCode != 0)
                throw new IOException("persist init refused");
            if (await client.RequestAsync(new RegisterCtldMessage(1, 0x80, 109, 6817)) is not PersistRc { ReturnCode: 0 })
                throw new IOException("registration refused");
            Reconnects++;
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    private async Task DropConnectionAsync()
    {
        if (_client is not null)
            await _client.DisposeAsync();
        _client = null;
    }

    /// <summary>What slurmctld's agent counts as done (slurmdbd_agent.c): rc 0, and for a batch every inner rc 0.</summary>
    private static bool Succeeded(IDbdMessage request, IDbdMessage reply) => reply switch
    {
        PersistRc rc => rc.ReturnCode == SlurmError.Success,
        IdReturnCode id => id.ReturnCode == SlurmError.Success && id.DbIndex is not (0 or JobStartMessage.DbIndexPending),
        ListMessage<IdReturnCode> list => list.Items is { } items && items.Count == ((ListMessage<JobStartMessage>)request).Items!.Count
            && items.All(i => i.ReturnCode == SlurmError.Success && i.DbIndex != 0),
        MultMessage mult => mult.Buffers is { } buffers && buffers.Count == ((MultMessage)request).Buffers!.Count
            && buffers.All(b => DbdMessageDecoder.Decode(b, ProtocolVersion.Current) is PersistRc { ReturnCode: 0 }),
        _ => false,
    };

    public ValueTask DisposeAsync() => _client?.DisposeAsync() ?? ValueTask.CompletedTask;
}
