using System.Diagnostics;
using System.Net;
using Accounting.Bench.Load;
using Accounting.Dbd.Authentication;
using Accounting.Model.Messages;
using Accounting.Model.Wire;
using Accounting.Tests.Support;

// A controller load on the real protocol: dotnet run -c Release --project bench/LoadGenerator --
//   --port 6819 [--auth none|munge] [--munge-socket PATH] [--cluster NAME] [--mode single|mult]
//   [--batch 100] [--conns 1] [--jobs 2000] [--first-job 1000000] [--rate 0]
// A record is one job message (4 per job); it counts once its reply (or inner reply) has rc 0.
// --rate offers that many records per second over all connections (0: flat out). Each connection, like
// slurmctld's agent, has one request outstanding at a time; one that falls behind its schedule sends at
// once, so records_per_s shows whether the daemon kept up.
var options = LoadOptions.Parse(args);
long firstSubmit = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600;
var latencies = new List<double>();
var connections = new List<DbdClient>();
for (int i = 0; i < options.Connections; i++)
{
    var client = await DbdClient.ConnectAsync(new IPEndPoint(IPAddress.Parse(options.Host), options.Port));
    var init = options.Auth == "munge"
        ? DbdClient.MungeInit(new MungeClient(options.MungeSocket), options.Cluster)
        : DbdClient.NoneInit(0, options.Cluster);
    Expect((await client.InitAsync(init)).ReturnCode == 0, "persist init refused");
    Expect(await client.RequestAsync(new RegisterCtldMessage(1, 0x80, 109, 1)) is PersistRc { ReturnCode: 0 }, "registration refused");
    await client.RequestAsync(new ClusterTresMessage(DbdMessageType.ClusterTres, "localhost", firstSubmit, "1=2,2=1000,3=0,4=1,5=2,6=0,7=0,8=0"));
    connections.Add(client);
}

int jobsPerConnection = options.Jobs / options.Connections;
var clock = Stopwatch.StartNew();
var counts = await Task.WhenAll(connections.Select((client, index) => Task.Run(() => RunAsync(client,
    options.FirstJob + (uint)(index * jobsPerConnection), jobsPerConnection))));
double seconds = clock.Elapsed.TotalSeconds;
long records = counts.Sum();
latencies.Sort();
Console.WriteLine($"mode={options.Mode} conns={options.Connections} jobs={options.Jobs} records={records} seconds={seconds:F3} " +
    $"records_per_s={records / seconds:F0} jobs_per_s={records / 4 / seconds:F0} p50_ms={Percentile(0.5):F2} p99_ms={Percentile(0.99):F2}");
return 0;

async Task<long> RunAsync(DbdClient client, uint firstJob, int jobs)
{
    long acknowledged = 0;
    double recordsPerSecond = options.Rate / options.Connections;
    for (int done = 0; done < jobs; done += options.Mode == "mult" ? options.Batch : 1)
    {
        if (recordsPerSecond > 0 && TimeSpan.FromSeconds(done * 4 / recordsPerSecond) - clock.Elapsed is { Ticks: > 0 } early)
            await Task.Delay(early);
        int count = options.Mode == "mult" ? Math.Min(options.Batch, jobs - done) : 1;
        var ids = Enumerable.Range(0, count).Select(i => firstJob + (uint)(done + i)).ToList();
        acknowledged += options.Mode == "mult" ? await SendBatchAsync(client, ids) : await SendSingleAsync(client, ids[0]);
    }
    return acknowledged;
}

async Task<long> SendSingleAsync(DbdClient client, uint jobId)
{
    long submit = firstSubmit + jobId % 3000;
    var start = await TimedAsync(client, JobMessages.Start(jobId, submit, 0));
    if (start is not IdReturnCode { ReturnCode: 0 } id)
        return 0;
    long acknowledged = 1;
    foreach (var message in new IDbdMessage[] { JobMessages.StepStart(jobId, submit, id.DbIndex), JobMessages.StepComplete(jobId, submit, id.DbIndex), JobMessages.Complete(jobId, submit, id.DbIndex) })
        if (await TimedAsync(client, message) is PersistRc { ReturnCode: 0 })
            acknowledged++;
    return acknowledged;
}

async Task<long> SendBatchAsync(DbdClient client, List<uint> jobIds)
{
    long submitOf(uint job) => firstSubmit + job % 3000;
    var starts = jobIds.Select(job => JobMessages.Start(job, submitOf(job), JobStartMessage.DbIndexPending)).ToList();
    if (await TimedAsync(client, new ListMessage<JobStartMessage>(DbdMessageType.SendMultJobStart, starts)) is not ListMessage<IdReturnCode> ids)
        return 0;
    var indexes = ids.Items!.ToDictionary(id => id.JobId, id => id.DbIndex);
    var rest = jobIds.SelectMany(job => new IDbdMessage[]
    {
        JobMessages.StepStart(job, submitOf(job), indexes.GetValueOrDefault(job)),
        JobMessages.StepComplete(job, submitOf(job), indexes.GetValueOrDefault(job)),
        JobMessages.Complete(job, submitOf(job), indexes.GetValueOrDefault(job)),
    });
    var replies = await TimedAsync(client, MultMessage.FromMessages(DbdMessageType.SendMultMsg, rest, ProtocolVersion.Current));
    long acknowledged = ids.Items!.Count(id => id.ReturnCode == 0);
    if (replies is MultMessage mult)
        acknowledged += mult.DecodeBuffers(ProtocolVersion.Current).Count(reply => reply is PersistRc { ReturnCode: 0 });
    return acknowledged;
}

async Task<IDbdMessage> TimedAsync(DbdClient client, IDbdMessage request)
{
    var started = Stopwatch.GetTimestamp();
    var reply = await client.RequestAsync(request);
    lock (latencies)
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    return reply;
}

double Percentile(double fraction) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)(fraction * latencies.Count))];

static void Expect(bool condition, string failure)
{
    if (!condition)
        throw new InvalidOperationException(failure);
}

/// <summary>The command line of the load generator.</summary>
sealed record LoadOptions(string Host, int Port, string Auth, string? MungeSocket, string Cluster, string Mode, int Batch, int Connections, int Jobs, uint FirstJob, double Rate)
{
    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (int i = 0; i + 1 < args.Length; i += 2)
            values[args[i].TrimStart('-')] = args[i + 1];
        string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        return new LoadOptions(Get("host", "127.0.0.1"), int.Parse(Get("port", "6819")), Get("auth", "none"),
            values.GetValueOrDefault("munge-socket"), Get("cluster", "loadgen"), Get("mode", "single"),
            int.Parse(Get("batch", "100")), int.Parse(Get("conns", "1")), int.Parse(Get("jobs", "2000")), uint.Parse(Get("first-job", "1000000")),
            double.Parse(Get("rate", "0"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
