using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Wire;
using Accounting.Tests.Support;
using Dapper;

namespace Accounting.Tests.Dbd.Handlers;

/// <summary>
/// Two controllers of one cluster (proc_req.c _register_ctld, _add_registered_cluster, _connection_fini_callback;
/// as_mysql_fini_ctld): the newer registration is the cluster's, the displaced connection's close clears
/// nothing, and with TrackSlurmctldDown the registered controller's close records the cluster down.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class ControllerRegistrationTests(SharedServices services)
{
    private const long EventTime = 1_800_000_000;

    private static async Task<DbdClient> ControllerAsync(RunningDaemon daemon, ushort port)
    {
        var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);
        Assert.Equal(0, Assert.IsType<PersistRc>(await client.RequestAsync(new RegisterCtldMessage(1, 0, 109, port))).ReturnCode);
        return client;
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException(what);
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// A restarted slurmctld on the same host and port registers before its old connection is closed: both
    /// registrations answer 0, the old connection is displaced (the reference logs "A new registration for
    /// cluster ... closing other connection"), and its close leaves the new registration in place; the new
    /// connection's close clears it.
    /// </summary>
    [Fact]
    public async Task A_second_registration_displaces_the_first_whose_close_then_clears_nothing()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        using var database = services.MariaDb.Connect(daemon.Database);
        var first = await ControllerAsync(daemon, 6817);
        await using var second = await ControllerAsync(daemon, 6817);
        Assert.Contains("A new registration for cluster alpha", daemon.Log());

        await first.DisposeAsync();
        await EventuallyAsync(() => daemon.Log().Contains("the registration stays"), "the displaced connection's close handled");
        Assert.Equal(("127.0.0.1", 6817u), database.QuerySingle<(string, uint)>("SELECT control_host, control_port FROM cluster WHERE name = 'alpha'"));

        await second.DisposeAsync();
        await EventuallyAsync(() => database.ExecuteScalar<uint>("SELECT control_port FROM cluster WHERE name = 'alpha'") == 0,
            "the registered controller's close clears the registration");
        Assert.Equal(0, database.ExecuteScalar<long>("SELECT COUNT(*) FROM event WHERE state = 1"));
    }

    /// <summary>
    /// TrackSlurmctldDown=yes: the registered controller's connection drops, so a cluster event in state DOWN
    /// opens with its last TRES and the reason "slurmctld disconnect"; the controller registering again with
    /// the same TRES closes it and keeps the registration event open.
    /// </summary>
    [Fact]
    public async Task With_TrackSlurmctldDown_a_dropped_controller_is_a_cluster_down_event_until_it_is_back()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none", "TrackSlurmctldDown=yes");
        using var database = services.MariaDb.Connect(daemon.Database);
        var controller = await ControllerAsync(daemon, 6817);
        var tres = new ClusterTresMessage(DbdMessageType.ClusterTres, "localhost", EventTime, "1=2,2=1000,4=1");
        Assert.Equal(SlurmError.AccountingFirstRegistration, Assert.IsType<PersistRc>(await controller.RequestAsync(tres)).ReturnCode);
        await controller.DisposeAsync();

        await EventuallyAsync(() => database.ExecuteScalar<long>("SELECT COUNT(*) FROM event WHERE state = 1") == 1, "the down event");
        var down = database.QuerySingle<(string Node, string Nodes, string Tres, long End, string Reason)>(
            "SELECT node_name, cluster_nodes, tres, time_end, reason FROM event WHERE state = 1");
        Assert.Equal(("", "", "1=2,2=1000,4=1", 0L, EventRepository.ControllerDisconnectReason), down);

        await using var back = await ControllerAsync(daemon, 6817);
        Assert.Equal(0, Assert.IsType<PersistRc>(await back.RequestAsync(tres with { EventTime = EventTime + 60 })).ReturnCode);
        Assert.Equal(EventTime + 60, database.ExecuteScalar<long>("SELECT time_end FROM event WHERE state = 1"));
        Assert.Equal(0L, database.ExecuteScalar<long>("SELECT time_end FROM event WHERE state = 0 AND node_name = ''"));
    }

    /// <summary>
    /// register_disconn_ctld: slurmctld does not register again when it reconnects to a restarted slurmdbd, so
    /// a connection that sends a job start without DBD_REGISTER_CTLD is taken to be the controller last
    /// registered (control_host its address, control_port the cluster's last_port), and its close clears the
    /// registration and, with TrackSlurmctldDown, records the cluster down as for a registered controller.
    /// </summary>
    [Fact]
    public async Task A_controller_that_reconnects_without_registering_is_registered_by_its_first_job_record()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none", "TrackSlurmctldDown=yes");
        using var database = services.MariaDb.Connect(daemon.Database);
        var registered = await ControllerAsync(daemon, 6817);
        Assert.Equal(SlurmError.AccountingFirstRegistration, Assert.IsType<PersistRc>(await registered.RequestAsync(
            new ClusterTresMessage(DbdMessageType.ClusterTres, "localhost", EventTime, "1=2,2=1000,4=1"))).ReturnCode);
        await registered.DisposeAsync();
        await EventuallyAsync(() => database.ExecuteScalar<long>("SELECT COUNT(*) FROM event WHERE state = 1") == 1, "the first down event");
        Assert.Equal(("", 0u), database.QuerySingle<(string, uint)>("SELECT control_host, control_port FROM cluster WHERE name = 'alpha'"));

        var reconnected = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await reconnected.InitAsync(DbdClient.NoneInit())).ReturnCode);
        var start = new JobStartMessage { JobId = 5, SubmitTime = EventTime, StartTime = EventTime + 1, JobState = 1, Nodes = "localhost" };
        Assert.IsType<IdReturnCode>(await reconnected.RequestAsync(start));
        Assert.Equal(("127.0.0.1", 6817u), database.QuerySingle<(string, uint)>("SELECT control_host, control_port FROM cluster WHERE name = 'alpha'"));

        // Its records are those of the cluster's controller again: its close clears the registration once more.
        // The first down period moved into the past and closed, so the second does not share its start second.
        database.Execute("UPDATE event SET time_start = time_start - 100, time_end = time_start + 50 WHERE state = 1");
        await reconnected.DisposeAsync();
        await EventuallyAsync(() => database.ExecuteScalar<uint>("SELECT control_port FROM cluster WHERE name = 'alpha'") == 0,
            "the reconnected controller's close clears the registration");
        await EventuallyAsync(() => database.ExecuteScalar<long>("SELECT COUNT(*) FROM event WHERE state = 1 AND time_end = 0") == 1,
            "a second down event");
    }
}
