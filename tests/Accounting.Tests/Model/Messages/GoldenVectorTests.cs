using Accounting.Model.Messages;
using Accounting.Model.Wire;
using Accounting.Tests.Support;

namespace Accounting.Tests.Model.Messages;

/// <summary>
/// Every captured message whose type this codec covers decodes and re-encodes to the same bytes the
/// real 22.05.8 daemons and clients put on the wire.
/// </summary>
public sealed class GoldenVectorTests
{
    private static readonly HashSet<DbdMessageType> CoveredTypes =
    [
        DbdMessageType.Fini, DbdMessageType.PersistRc, DbdMessageType.GetStats, DbdMessageType.GotStats,
        DbdMessageType.GetClusters, DbdMessageType.GotClusters, DbdMessageType.AddClusters,
        DbdMessageType.GetTres, DbdMessageType.GotTres, DbdMessageType.GetQos, DbdMessageType.GotQos,
        DbdMessageType.GetAssocs, DbdMessageType.GotAssocs,
        DbdMessageType.GetFederations, DbdMessageType.GotFederations, DbdMessageType.AddFederations,
        DbdMessageType.GetAccounts, DbdMessageType.GotAccounts, DbdMessageType.AddAccounts,
        DbdMessageType.ModifyAccounts, DbdMessageType.RemoveAccounts, DbdMessageType.GotList,
        DbdMessageType.GetUsers, DbdMessageType.GotUsers, DbdMessageType.AddUsers,
        DbdMessageType.GetEvents, DbdMessageType.GotEvents, DbdMessageType.GetRes, DbdMessageType.GotRes,
        DbdMessageType.RegisterCtld, DbdMessageType.ClusterTres, DbdMessageType.FlushJobs, DbdMessageType.NodeState,
        DbdMessageType.JobStart, DbdMessageType.IdRc, DbdMessageType.JobComplete, DbdMessageType.JobSuspend,
        DbdMessageType.JobHeavy, DbdMessageType.StepStart, DbdMessageType.StepComplete,
        DbdMessageType.SendMultJobStart, DbdMessageType.GotMultJobStart, DbdMessageType.SendMultMsg, DbdMessageType.GotMultMsg,
        DbdMessageType.AddResv, DbdMessageType.ModifyResv, DbdMessageType.RemoveResv, DbdMessageType.GetResvs,
        DbdMessageType.GotResvs, DbdMessageType.GetJobsCond, DbdMessageType.GotJobs, DbdMessageType.FixRunawayJob,
    ];

    public static TheoryData<string> Operations() => new(CapturedConversation.AllOperations());

    [Theory]
    [MemberData(nameof(Operations))]
    public void Every_covered_message_round_trips_byte_for_byte(string operation)
    {
        var messages = CapturedConversation.Load(operation);
        var covered = messages.Where(m => m.Sequence > 0 || m.Direction == "s2c")
            .Where(m => CoveredTypes.Contains((DbdMessageType)m.FirstU16)).ToList();
        Assert.NotEmpty(covered);
        foreach (var message in covered)
        {
            var decoded = DbdMessageDecoder.Decode(message.Payload, ProtocolVersion.Current);
            var writer = new SlurmWriter();
            DbdMessageFraming.Pack(decoded, writer, ProtocolVersion.Current);
            Assert.True(message.Payload.AsSpan().SequenceEqual(writer.WrittenSpan), $"{message} re-encodes differently");
        }
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void Persist_init_round_trips_and_names_the_client_cluster(string operation)
    {
        var init = CapturedConversation.Load(operation).First(m => m.Direction == "c2s");
        var decoded = PersistInitMessage.Unpack(init.Payload);
        var writer = new SlurmWriter();
        decoded.Pack(writer);

        Assert.Equal(init.Payload, writer.WrittenSpan.ToArray());
        Assert.Equal(ProtocolVersion.Slurm2205, decoded.Header.Version);
        Assert.Equal(0x0003, decoded.Header.Flags);
        Assert.Equal(ProtocolVersion.Slurm2205, decoded.Body.Version);
        Assert.Equal(PersistConnectionType.Dbd, decoded.Body.PersistType);
        Assert.Equal(operation.StartsWith("auth_none") ? "gamma" : "alpha", decoded.Body.ClusterName);
        Assert.Equal(operation.StartsWith("auth_none") ? AuthPlugin.None : AuthPlugin.Munge, decoded.Credential.Plugin);
    }

    [Fact]
    public void Got_tres_lists_the_eight_fixed_tres_and_the_dynamic_offset_when_deleted_ones_are_asked_for()
    {
        var messages = CapturedConversation.Load("show_qos");
        var tres = (ListMessage<Accounting.Model.Records.TresRecord>)DbdMessageDecoder.Decode(
            messages.Last(m => m.FirstU16 == (ushort)DbdMessageType.GotTres).Payload, ProtocolVersion.Current);

        Assert.Equal([1u, 2, 3, 4, 5, 6, 7, 8, 1000], tres.Items!.Select(t => t.Id));
        Assert.Equal("disk", tres.Items![5].Name);
        Assert.Equal("dynamic_offset", tres.Items![8].Type);
    }

    [Fact]
    public void Got_stats_carries_counters_by_message_type_and_by_user()
    {
        var reply = CapturedConversation.Load("list_stats").Single(m => m.FirstU16 == (ushort)DbdMessageType.GotStats);
        var stats = ((StatsMessage)DbdMessageDecoder.Decode(reply.Payload, ProtocolVersion.Current)).Stats;

        Assert.Contains(stats.ByMessageType!, rpc => rpc.Id == (uint)DbdMessageType.Fini && rpc.Count == 24);
        Assert.Equal(0u, Assert.Single(stats.ByUser!).Id);
        Assert.Equal(3, stats.DbdRollup.Periods.Count);
    }
}
