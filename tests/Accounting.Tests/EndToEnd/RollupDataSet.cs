using System.Net;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;

namespace Accounting.Tests.EndToEnd;

/// <summary>
/// One synthetic day of cluster alpha, loaded into a slurmdbd the way clients deliver it: associations
/// through sacctmgr, then a fake controller on the wire (registration, node events, reservations, jobs,
/// suspends), all on 30 November 2026 (UTC). Run against the real slurmdbd and ours, then `sacctmgr roll`
/// over the day, the usage tables must hold the same rows.
/// </summary>
public static class RollupDataSet
{
    public static readonly long Day = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
    public const string RollStart = "2026-11-30T00:00:00";
    public const string RollEnd = "2026-12-01T00:00:00";

    private const long Hour = 3600;

    public static readonly string[] Associations =
    [
        "-i add cluster alpha",
        "-i add account physics cluster=alpha",
        "-i add account chemistry cluster=alpha",
        "-i add user alice account=physics cluster=alpha",
        "-i add user bob account=physics cluster=alpha",
        "-i add user carol account=chemistry cluster=alpha",
    ];

    /// <summary>Association ids by "account/user", as `sacctmgr show assoc` lists them.</summary>
    public static async Task<Dictionary<string, uint>> AssociationIdsAsync(Func<string[], Task<ProcessResult>> sacctmgr)
    {
        var result = await sacctmgr(["show", "assoc", "cluster=alpha", "format=id,account,user", "-P", "-n"]);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('|'))
            .ToDictionary(fields => $"{fields[1]}/{fields[2]}", fields => uint.Parse(fields[0]));
    }

    public static async Task LoadAsync(Func<string[], Task<ProcessResult>> sacctmgr, IPEndPoint endPoint)
    {
        foreach (string command in Associations)
            Assert.Equal(0, (await sacctmgr(command.Split(' '))).ExitCode);
        var ids = await AssociationIdsAsync(sacctmgr);
        uint alice = ids["physics/alice"], bob = ids["physics/bob"], carol = ids["chemistry/carol"];

        await using var controller = await DbdClient.ConnectAsync(endPoint);
        Assert.Equal(0, (await controller.InitAsync(DbdClient.NoneInit())).ReturnCode);
        async Task<IDbdMessage> Send(IDbdMessage message) => await controller.RequestAsync(message);
        async Task Rc(IDbdMessage message) => Assert.True(Assert.IsType<PersistRc>(await Send(message)).ReturnCode >= 0);

        await Rc(new RegisterCtldMessage(1, 0, 109, 6817));
        // 4 nodes, 8 CPUs, 8000 MB from 01:00.
        await Rc(new ClusterTresMessage(DbdMessageType.ClusterTres, "n[1-4]", Day + Hour, "1=8,2=8000,3=0,4=4,5=8"));
        // n2 down 02:20-03:10, n4 FUTURE 05:00-06:00, n3 drained (maintenance flag: left to the reservation) 10:00-10:30.
        await Rc(new NodeStateMessage("n2", "broken", 0, NodeStateMessage.NodeDown, Day + 2 * Hour + 1200, 1, "1=2,2=2000,4=1"));
        await Rc(new NodeStateMessage("n2", null, 0, NodeStateMessage.NodeUp, Day + 3 * Hour + 600, 0, null));
        await Rc(new NodeStateMessage("n4", "future", 0, NodeStateMessage.NodeDown, Day + 5 * Hour, 6, "1=2,2=2000,4=1"));
        await Rc(new NodeStateMessage("n4", null, 0, NodeStateMessage.NodeUp, Day + 6 * Hour, 0, null));
        // A reservation of n3 for alice and carol 07:00-09:00, a maintenance reservation of n1 10:00-11:00.
        await Rc(new RecordMessage<ReservationRecord>(DbdMessageType.AddResv, new ReservationRecord
        {
            Id = 3, Cluster = "alpha", Name = "r3", Nodes = "n3", NodeIndexes = "2", Assocs = $"{alice},{carol}",
            TimeStart = Day + 7 * Hour, TimeEnd = Day + 9 * Hour, TresString = "1=2,2=2000,4=1", Flags = 0,
        }));
        await Rc(new RecordMessage<ReservationRecord>(DbdMessageType.AddResv, new ReservationRecord
        {
            Id = 4, Cluster = "alpha", Name = "maint", Nodes = "n1", NodeIndexes = "0", Assocs = "",
            TimeStart = Day + 10 * Hour, TimeEnd = Day + 11 * Hour, TresString = "1=2,2=2000,4=1", Flags = 1,
        }));

        uint jobId = 100;
        async Task Job(uint assoc, long eligible, long start, long end, string tres, uint cpus, uint resv = 0,
            (long Suspend, long Resume)? suspended = null, uint arrayPending = 0)
        {
            jobId++;
            var startMessage = new JobStartMessage
            {
                JobId = jobId, AssocId = assoc, SubmitTime = eligible, EligibleTime = eligible, StartTime = start,
                JobState = start == 0 ? 0u : 1u, Name = "synth", Nodes = start == 0 ? null : "n1", Partition = "debug",
                DbIndex = JobStartMessage.DbIndexPending, ReqCpus = cpus, AllocNodes = start == 0 ? 0u : 1u,
                TresAllocString = start == 0 ? null : tres, TresReqString = tres, ReservationId = resv, Uid = 0, Gid = 0,
                Timelimit = 60, Priority = 1, ArrayTaskPending = arrayPending, ArrayMaxTasks = arrayPending != 0 ? 4u : 0,
                ArrayTaskString = arrayPending != 0 ? "0x0F" : null, ArrayJobId = arrayPending != 0 ? jobId : 0,
                ArrayTaskId = SlurmValues.NoVal,
            };
            ulong index = Assert.IsType<IdReturnCode>(await Send(startMessage)).DbIndex;
            if (suspended is var (suspendAt, resumeAt))
            {
                await Rc(new JobSuspendMessage(assoc, index, jobId, 2, eligible, suspendAt));
                await Rc(new JobSuspendMessage(assoc, index, jobId, 1, eligible, resumeAt));
            }
            if (end != 0)
                await Rc(new JobCompleteMessage
                {
                    JobId = jobId, AssocId = assoc, DbIndex = index, SubmitTime = eligible, StartTime = start, EndTime = end,
                    JobState = start == 0 ? 4u : 3u, Nodes = start == 0 ? null : "n1", TresAllocString = start == 0 ? null : tres,
                });
        }

        // Across hour boundaries, with a wait before starting.
        await Job(alice, Day + Hour + 60, Day + Hour + 120, Day + 3 * Hour + 300, "1=2,2=2000,4=1", 2);
        await Job(bob, Day + 4 * Hour, Day + 4 * Hour + 1800, Day + 6 * Hour, "1=4,2=1000,4=2", 4);
        // In reservation 3.
        await Job(alice, Day + 7 * Hour + 600, Day + 7 * Hour + 600, Day + 8 * Hour, "1=1,2=100,4=1", 1, resv: 3);
        // Suspended 12:30-13:00.
        await Job(bob, Day + 12 * Hour, Day + 12 * Hour, Day + 14 * Hour, "1=2,2=500,4=1", 2,
            suspended: (Day + 12 * Hour + 1800, Day + 13 * Hour));
        // An array with 3 pending tasks, waiting 15:00-16:00, then cancelled.
        await Job(carol, Day + 15 * Hour, 0, Day + 16 * Hour, "1=1", 1, arrayPending: 3);
        // Over-committed: 2 × 8 CPUs on an 8-CPU cluster 18:00-19:00.
        await Job(carol, Day + 18 * Hour, Day + 18 * Hour, Day + 19 * Hour, "1=8,2=1000,4=4", 8);
        await Job(bob, Day + 18 * Hour, Day + 18 * Hour, Day + 19 * Hour, "1=8,2=1000,4=4", 8);
        // Still running at the end of the day.
        await Job(alice, Day + 20 * Hour, Day + 20 * Hour + 900, 0, "1=3,2=3000,4=2", 3);
    }

    /// <summary>`sacctmgr -i roll` over the day (hours, the day, and November).</summary>
    public static async Task RollAsync(Func<string[], Task<ProcessResult>> sacctmgr)
    {
        var result = await sacctmgr(["-i", "roll", RollStart, RollEnd]);
        Assert.True(result.ExitCode == 0, result.Combined);
    }
}
