using Accounting.Dbd.Authentication;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;

namespace Accounting.Tests.Dbd.Jobs;

/// <summary>
/// The accounting state of the sacct captures: clusters alpha and beta, account physics with user alice
/// on alpha (so alpha's root user association is id 2 with lft 6, alice's id 4 with lft 3, as in the
/// replies), and the four real jobs with their steps stored as the real slurmdbd returned them.
/// </summary>
public static class CapturedJobs
{
    /// <summary>The job records of the captured sacct -a --parsable2 -o ALL reply.</summary>
    public static List<JobRecord> Records()
    {
        var reply = CapturedConversation.Load("sacct_all").Single(m => m.Direction == "s2c" && m.FirstU16 == (ushort)DbdMessageType.GotJobs);
        return ((ListMessage<JobRecord>)DbdMessageDecoder.Decode(reply.Payload, ProtocolVersion.Current)).Items!;
    }

    /// <summary>The same jobs and steps with every time moved by one shift, so that the first submit is <paramref name="firstSubmit"/>.</summary>
    public static IEnumerable<JobRecord> MovedTo(long firstSubmit)
    {
        var jobs = Records();
        long shift = firstSubmit - jobs.Min(job => job.Submit);
        long Move(long time) => time == 0 ? 0 : time + shift;
        return jobs.Select(job => job with
        {
            Submit = Move(job.Submit), Eligible = Move(job.Eligible), Start = Move(job.Start), End = Move(job.End),
            Steps = job.Steps.Select(step => step with { Start = Move(step.Start), End = Move(step.End) }).ToList(),
        });
    }

    /// <summary>Creates the associations through the daemon, then writes the jobs into its database.</summary>
    public static async Task PrepareAsync(RunningDaemon daemon, SharedServices services, bool munge, bool withJobs = true)
    {
        await using (var client = await DbdClient.ConnectAsync(daemon.EndPoint))
        {
            var init = munge ? DbdClient.MungeInit(new MungeClient(services.Munge.Socket)) : DbdClient.NoneInit();
            Assert.Equal(0, (await client.InitAsync(init)).ReturnCode);
            Assert.Equal(PersistRc.Ok(DbdMessageType.AddClusters), await client.RequestAsync(new ListMessage<ClusterRecord>(DbdMessageType.AddClusters,
                [new ClusterRecord { Name = "alpha", FederationState = SlurmValues.NoVal }, new ClusterRecord { Name = "beta", FederationState = SlurmValues.NoVal }])));
            Assert.Equal(PersistRc.Ok(DbdMessageType.AddAssocs), await client.RequestAsync(new ListMessage<AssociationRecord>(DbdMessageType.AddAssocs,
                [new AssociationRecord { Cluster = "alpha", Account = "physics", IsDefault = SlurmValues.NoVal16 }])));
            Assert.Equal(PersistRc.Ok(DbdMessageType.AddAssocs), await client.RequestAsync(new ListMessage<AssociationRecord>(DbdMessageType.AddAssocs,
                [new AssociationRecord { Cluster = "alpha", Account = "physics", User = "alice", IsDefault = SlurmValues.NoVal16 }])));
            Assert.Equal(SlurmError.Success, Assert.IsType<PersistRc>(await client.RequestAsync(new FiniMessage(0, 1))).ReturnCode);
        }
        if (!withJobs)
            return;
        using var connection = JobTableRows.Open(services, daemon.Database);
        uint alpha = JobTableRows.ClusterId(connection, "alpha");
        foreach (var job in Records())
            JobTableRows.Insert(connection, alpha, job);
    }
}
