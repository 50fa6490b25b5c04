using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;
using Dapper;

namespace Accounting.Tests.Dbd.Handlers;

/// <summary>
/// Controller messages that slurmdbd refuses (wire spec §5.5) or cannot unpack inside a batch (§8.4, §5.6).
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class ControllerBadInputTests(SharedServices services)
{
    private static readonly NodeStateMessage NodeUp = new("localhost", null, 0, NodeStateMessage.NodeUp, 1_800_000_000, 0, null);

    private static readonly StepStartMessage BatchStep = new()
    {
        Name = "batch",
        Nodes = "localhost",
        NodeCount = 1,
        StartTime = 1_800_000_010,
        JobSubmitTime = 1_800_000_000,
        StepId = new SlurmStepId(7, SlurmStepId.BatchScript, SlurmValues.NoVal),
        TotalTasks = 1,
    };

    public static TheoryData<IDbdMessage> ControllerMessages() =>
    [
        new RegisterCtldMessage(1, 0x80, 109, 6817),
        new JobStartMessage { JobId = 7, SubmitTime = 1_800_000_000 },
        BatchStep,
        NodeUp,
        new RecordMessage<ReservationRecord>(DbdMessageType.AddResv, new ReservationRecord { Id = 1, TimeStart = 1, Cluster = "alpha" }),
        MultMessage.FromMessages(DbdMessageType.SendMultMsg, [NodeUp], ProtocolVersion.Current),
    ];

    [Theory]
    [MemberData(nameof(ControllerMessages))]
    public async Task A_controller_message_from_a_user_other_than_root_or_SlurmUser_is_refused_and_the_connection_closed(IDbdMessage request)
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit(uid: 4242))).ReturnCode);

        var reply = Assert.IsType<PersistRc>(await client.RequestAsync(request));

        Assert.Equal(SlurmError.AccessDenied, reply.ReturnCode);
        Assert.Equal((ushort)request.Type, reply.RetInfo);
        Assert.Equal($"{DbdMessageTypeInfo.SlurmName(request.Type)} message from invalid uid", reply.Comment);
        Assert.Null(await client.ReadFrameAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_malformed_message_inside_a_batch_gets_the_unpack_error_and_ends_the_batch()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);
        Assert.Equal(0, Assert.IsType<PersistRc>(await client.RequestAsync(new RegisterCtldMessage(1, 0x80, 109, 6817))).ReturnCode);
        var valid = MultMessage.FromMessages(DbdMessageType.SendMultMsg, [NodeUp, BatchStep, NodeUp], ProtocolVersion.Current);
        var truncatedStep = valid.Buffers![1][..12];
        var batch = valid with { Buffers = [valid.Buffers[0], truncatedStep, valid.Buffers[2]] };

        var reply = Assert.IsType<MultMessage>(await client.RequestAsync(batch));

        Assert.Equal(DbdMessageType.GotMultMsg, reply.Type);
        var inner = reply.DecodeBuffers(ProtocolVersion.Current).Cast<PersistRc>().ToList();
        Assert.Equal(2, inner.Count);
        Assert.Equal(PersistRc.Ok(DbdMessageType.NodeState), inner[0]);
        Assert.Equal(PersistRc.Failure(DbdMessageType.StepStart, SlurmError.Error, "Failed to unpack DBD_STEP_START message"), inner[1]);
        // The connection carries on.
        Assert.Equal(0, Assert.IsType<PersistRc>(await client.RequestAsync(NodeUp)).ReturnCode);
    }

    [Fact]
    public async Task A_batch_stops_after_the_first_inner_message_that_fails()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);
        Assert.Equal(0, Assert.IsType<PersistRc>(await client.RequestAsync(new RegisterCtldMessage(1, 0x80, 109, 6817))).ReturnCode);
        // A reservation without an id is refused with -1, as slurmdbd refuses it.
        var incomplete = new RecordMessage<ReservationRecord>(DbdMessageType.AddResv, new ReservationRecord { Id = 0, TimeStart = 1, Cluster = "alpha" });

        var reply = Assert.IsType<MultMessage>(await client.RequestAsync(
            MultMessage.FromMessages(DbdMessageType.SendMultMsg, [BatchStep, incomplete, NodeUp], ProtocolVersion.Current)));

        var inner = reply.DecodeBuffers(ProtocolVersion.Current).Cast<PersistRc>().ToList();
        Assert.Equal([SlurmError.Success, SlurmError.Error], inner.Select(r => r.ReturnCode));
        Assert.Equal([(ushort)DbdMessageType.StepStart, (ushort)DbdMessageType.AddResv], inner.Select(r => r.RetInfo));
        // What was answered with rc 0 is committed: slurmctld has dequeued it.
        using var database = services.MariaDb.Connect(daemon.Database);
        Assert.Equal(1, database.ExecuteScalar<int>("SELECT COUNT(*) FROM step"));
    }
}
