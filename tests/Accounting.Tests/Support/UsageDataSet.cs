using Accounting.Dbd.Authentication;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Tests.Support;

/// <summary>
/// One synthetic day of cluster alpha for the sreport comparisons: accounts and users made with sacctmgr
/// (<see cref="SacctmgrSetup"/>), then, as slurmctld would send them, the registration, the cluster TRES,
/// a node that is down for 2.5 hours, eight finished jobs of four users in three accounts (one inside a
/// reservation, one across midnight, one that waited an hour) and the reservation. The same set was
/// loaded into the real slurmdbd 22.05.8 to record Fixtures/RealOutput/sreport-usage-auth-munge.txt.
/// All times are fixed (2026-11-23 and 24, UTC), so the answers do not depend on when a test runs.
/// </summary>
public static class UsageDataSet
{
    public const string Cluster = "alpha";
    /// <summary>2026-11-23T00:00:00Z: the cluster registers with its TRES.</summary>
    public const long Registered = 1_795_392_000;
    /// <summary>2026-11-24T00:00:00Z: the day the jobs ran.</summary>
    public const long Day = 1_795_478_400;
    private const long Hour = 3600;
    private const long Minute = 60;
    private const uint StateComplete = 3;
    private const uint NodeStateDown = 1;
    private const uint ReservationId = 1;

    public static readonly string[] SacctmgrSetup =
    [
        "-i add cluster alpha",
        "-i add account physics,chemistry cluster=alpha",
        "-i add account theory parent=physics cluster=alpha",
        "-i add user alice account=physics cluster=alpha",
        "-i add user bob account=physics,chemistry cluster=alpha",
        "-i add user carol account=chemistry cluster=alpha",
        "-i add user dave account=theory cluster=alpha",
    ];

    private sealed record Job(uint Id, string User, uint Uid, string Account, int Cpus, int NodeCount, string Nodes, string NodeIndexes,
        long Submit, long Start, long End, uint Reservation = 0);

    private static readonly Job[] Jobs =
    [
        new(101, "alice", 5001, "physics", 2, 1, "n2", "1", Day + 50 * Minute, Day + 1 * Hour, Day + 3 * Hour + 30 * Minute),
        new(102, "bob", 5002, "physics", 4, 2, "n[2-3]", "1-2", Day + 70 * Minute, Day + 80 * Minute, Day + 140 * Minute),
        new(103, "bob", 5002, "chemistry", 1, 1, "n4", "3", Day + 5 * Hour, Day + 5 * Hour + 30 * Minute, Day + 7 * Hour + 15 * Minute),
        new(104, "carol", 5003, "chemistry", 8, 4, "n[1-4]", "0-3", Day + 8 * Hour, Day + 9 * Hour, Day + 11 * Hour),
        new(105, "dave", 5004, "theory", 2, 1, "n3", "2", Day + 3 * Hour, Day + 3 * Hour + 10 * Minute, Day + 6 * Hour + 40 * Minute),
        new(106, "alice", 5001, "physics", 1, 1, "n2", "1", Day + 22 * Hour, Day + 22 * Hour + 30 * Minute, Day + 25 * Hour + 30 * Minute),
        new(107, "carol", 5003, "chemistry", 4, 2, "n[3-4]", "2-3", Day + 13 * Hour, Day + 13 * Hour + 10 * Minute, Day + 13 * Hour + 50 * Minute,
            ReservationId),
        new(108, "dave", 5004, "theory", 6, 3, "n[2-4]", "1-3", Day + 15 * Hour, Day + 15 * Hour, Day + 15 * Hour + 45 * Minute),
    ];

    /// <summary>
    /// Sends the controller's part through <paramref name="client"/>, a connection already initialised as
    /// cluster alpha's slurmctld (uid 0 or SlurmUser), after <see cref="SacctmgrSetup"/> ran.
    /// </summary>
    public static async Task LoadAsync(DbdClient client, ushort controllerPort)
    {
        await ExpectRcAsync(client, new RegisterCtldMessage(1, 0, 109, controllerPort), SlurmError.Success);
        var associations = await AssociationIdsAsync(client);
        await ExpectRcAsync(client, new ClusterTresMessage(DbdMessageType.ClusterTres, "n[1-4]", Registered, "1=8,2=16000,4=4,5=8"),
            SlurmError.Success, SlurmError.AccountingFirstRegistration);
        await ExpectRcAsync(client, new NodeStateMessage("n1", "disk failure", 0, NodeStateMessage.NodeDown, Day + 2 * Hour,
            NodeStateDown, "1=2,2=4000,4=1,5=2"), SlurmError.Success);
        await ExpectRcAsync(client, new NodeStateMessage("n1", null, 0, NodeStateMessage.NodeUp, Day + 4 * Hour + 30 * Minute, 0, null),
            SlurmError.Success);
        await ExpectRcAsync(client, new RecordMessage<ReservationRecord>(DbdMessageType.AddResv, new ReservationRecord
        {
            Assocs = $",{associations[("carol", "chemistry")]},", Cluster = Cluster, Flags = 0, Id = ReservationId, Name = "resA",
            Nodes = "n[3-4]", NodeIndexes = "2-3", TimeStart = Day + 13 * Hour, TimeEnd = Day + 14 * Hour, TimeStartPrev = 0,
            TresString = "1=4,2=8000,4=2,5=4",
        }), SlurmError.Success);
        foreach (var job in Jobs)
        {
            uint assocId = associations[(job.User, job.Account)];
            string tres = $"1={job.Cpus},2={job.Cpus * 2000},4={job.NodeCount},5={job.Cpus}";
            var started = Assert.IsType<IdReturnCode>(await client.RequestAsync(new JobStartMessage
            {
                Account = job.Account, AllocNodes = (uint)job.NodeCount, AssocId = assocId, DbIndex = JobStartMessage.DbIndexPending,
                EligibleTime = job.Submit, JobId = job.Id, JobState = 1, Name = $"job{job.Id}", Nodes = job.Nodes,
                NodeIndexes = job.NodeIndexes, Partition = "debug", Priority = 1, QosId = 1, ReqCpus = (uint)job.Cpus,
                ReqMem = (ulong)job.Cpus * 2000, ReservationId = job.Reservation, StartTime = job.Start,
                SubmitLine = "sbatch --wrap true", SubmitTime = job.Submit, Timelimit = SlurmValues.Infinite,
                TresAllocString = tres, TresReqString = tres, Uid = job.Uid, Gid = job.Uid, WorkDir = "/tmp",
            }));
            Assert.Equal(0, started.ReturnCode);
            await ExpectRcAsync(client, new JobCompleteMessage
            {
                AssocId = assocId, DbIndex = started.DbIndex, EndTime = job.End, JobId = job.Id, JobState = StateComplete,
                Nodes = job.Nodes, StartTime = job.Start, SubmitTime = job.Submit, TresAllocString = tres,
            }, SlurmError.Success);
        }
    }

    /// <summary>A fresh daemon of ours holding the set: the sacctmgr setup, then the controller's part as root.</summary>
    public static async Task<RunningDaemon> StartDaemonAsync(SharedServices services, string authType = "auth/munge", string extraConf = "")
    {
        var daemon = await RunningDaemon.StartAsync(services, authType, extraConf);
        foreach (string command in SacctmgrSetup)
            Assert.Equal(0, (await daemon.SacctmgrAsync(command.Split(' '))).ExitCode);
        await using var controller = await DbdClient.ConnectAsync(daemon.EndPoint);
        var init = authType == "auth/none" ? DbdClient.NoneInit(0, Cluster) : DbdClient.MungeInit(new MungeClient(services.Munge.Socket), Cluster);
        Assert.Equal(0, (await controller.InitAsync(init)).ReturnCode);
        // Nothing listens on that port: the daemon's pushes to this controller fail and are retried, as for a stopped slurmctld.
        await LoadAsync(controller, (ushort)FreePort.Next());
        return daemon;
    }

    private static async Task<Dictionary<(string User, string Account), uint>> AssociationIdsAsync(DbdClient client)
    {
        var reply = Assert.IsType<ListMessage<AssociationRecord>>(await client.RequestAsync(new ConditionMessage<AssociationCondition>(
            DbdMessageType.GetAssocs, new AssociationCondition { ClusterList = [Cluster] })));
        return reply.Items!.Where(a => !string.IsNullOrEmpty(a.User)).ToDictionary(a => (a.User!, a.Account!), a => a.Id);
    }

    private static async Task ExpectRcAsync(DbdClient client, IDbdMessage message, params int[] accepted)
    {
        var rc = Assert.IsType<PersistRc>(await client.RequestAsync(message));
        Assert.Contains(rc.ReturnCode, accepted);
    }
}
