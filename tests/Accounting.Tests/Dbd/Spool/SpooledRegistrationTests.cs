using Accounting.Dbd.Spool;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Accounting.Tests.Dbd.Spool;

/// <summary>
/// A controller's registration and its close while no database is writable: after the spool's replay the
/// cluster is registered exactly when its controller is still connected, as it would be had the database
/// never gone. `sacctmgr show config` (DBD_GET_CONFIG) shows the spool's depth and the replay's progress.
/// </summary>
public sealed class SpooledRegistrationTests : IAsyncLifetime
{
    private const string Timeouts = "StorageParameters=CONNECT_TIMEOUT=2,COMMAND_TIMEOUT=5";
    private const string ClusterTres = "1=8,2=16000,4=4,5=8";

    private readonly SharedServices _services = new();

    public Task InitializeAsync() => _services.InitializeAsync();

    public Task DisposeAsync() => _services.DisposeAsync();

    private static async Task<DbdClient> ControllerAsync(RunningDaemon daemon, ushort port)
    {
        var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);
        Assert.Equal(0, Assert.IsType<PersistRc>(await client.RequestAsync(new RegisterCtldMessage(1, 0, 109, port))).ReturnCode);
        return client;
    }

    private static async Task<Dictionary<string, string?>> ConfigAsync(RunningDaemon daemon)
    {
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);
        var reply = Assert.IsType<ListMessage<ConfigKeyPair>>(await client.RequestAsync(new GetConfigMessage(null)));
        return reply.Items!.ToDictionary(pair => pair.Name!, pair => pair.Value);
    }

    private (string Host, uint Port) Registration(RunningDaemon daemon)
    {
        using var database = _services.MariaDb.Connect(daemon.Database);
        return database.QuerySingle<(string, uint)>("SELECT control_host, control_port FROM cluster WHERE name = 'alpha'");
    }

    [Fact]
    public async Task After_the_replay_only_the_controller_still_connected_is_registered_and_show_config_tells_the_progress()
    {
        await using var daemon = await RunningDaemon.StartAsync(_services, "auth/none", Timeouts);
        var spool = daemon.Services.GetRequiredService<MessageSpool>();
        await _services.MariaDb.KillAsync();

        var gone = await ControllerAsync(daemon, 6817);
        var waiting = await ConfigAsync(daemon);
        Assert.StartsWith("1 records, ", waiting["SpoolDepth"]);
        Assert.StartsWith("waiting for a writable database", waiting["SpoolReplay"]);
        await gone.DisposeAsync();
        await Eventually.TrueAsync(() => daemon.Log().Contains("disconnect is stored once the spool has been replayed"),
            "the gone controller's close deferred");
        await using var stays = await ControllerAsync(daemon, 6818);

        await _services.MariaDb.StartAsync();
        await Eventually.TrueAsync(() => spool.Depth == 0, "the spool replayed", TimeSpan.FromMinutes(1));
        Assert.Equal(("127.0.0.1", 6818u), Registration(daemon));
        var drained = await ConfigAsync(daemon);
        Assert.StartsWith("0 records, 0 of ", drained["SpoolDepth"]);
        Assert.StartsWith("idle; last drain: 2 records stored in ", drained["SpoolReplay"]);

        await stays.DisposeAsync();
        await Eventually.TrueAsync(() => Registration(daemon).Port == 0, "the remaining controller's close clears the registration");
    }

    [Fact]
    public async Task A_controller_that_registered_and_left_during_the_outage_leaves_its_cluster_unregistered_after_the_replay()
    {
        await using var daemon = await RunningDaemon.StartAsync(_services, "auth/none", Timeouts);
        var spool = daemon.Services.GetRequiredService<MessageSpool>();
        await _services.MariaDb.KillAsync();
        await (await ControllerAsync(daemon, 6817)).DisposeAsync();
        await Eventually.TrueAsync(() => daemon.Log().Contains("disconnect is stored once the spool has been replayed"),
            "the close deferred");

        await _services.MariaDb.StartAsync();
        await Eventually.TrueAsync(() => spool.Depth == 0, "the spool replayed", TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(() => daemon.Log().Contains("spool replayed"), "the drain logged");
        Assert.Equal(("", 0u), Registration(daemon));
    }

    /// <summary>A close while the database is away and nothing is spooled is stored once it is back.</summary>
    [Fact]
    public async Task A_controller_that_leaves_while_the_database_is_away_and_nothing_is_spooled_is_unregistered_once_it_is_back()
    {
        await using var daemon = await RunningDaemon.StartAsync(_services, "auth/none", Timeouts);
        var controller = await ControllerAsync(daemon, 6817);
        Assert.Equal(("127.0.0.1", 6817u), Registration(daemon));

        await _services.MariaDb.KillAsync();
        await controller.DisposeAsync();
        await Eventually.TrueAsync(() => daemon.Log().Contains("disconnect is stored once the spool has been replayed"),
            "the close deferred");
        Assert.Equal(0, daemon.Services.GetRequiredService<MessageSpool>().Depth);

        await _services.MariaDb.StartAsync();
        await Eventually.TrueAsync(() => Registration(daemon).Port == 0, "the deferred close clears the registration", TimeSpan.FromMinutes(1));
    }

    /// <summary>
    /// The close is deferred in memory only; a registration replayed by a restarted daemon is cleared again
    /// because no connection of that controller is registered with it.
    /// </summary>
    [Fact]
    public async Task A_registration_replayed_after_a_restart_is_cleared_when_its_controller_is_not_connected()
    {
        using var spoolDirectory = new TemporaryDirectory("spool");
        string database;
        await using (var daemon = await RunningDaemon.StartAsync(_services, "auth/none", Timeouts, spoolDirectory: spoolDirectory.Path))
        {
            database = daemon.Database;
            await _services.MariaDb.KillAsync();
            await (await ControllerAsync(daemon, 6817)).DisposeAsync();
            Assert.Equal(1, daemon.Services.GetRequiredService<MessageSpool>().Depth);
        }

        await _services.MariaDb.StartAsync();
        await using var restarted = await RunningDaemon.StartAsync(_services, "auth/none", Timeouts, database, spoolDirectory.Path);
        await Eventually.TrueAsync(() => restarted.Log().Contains("spool replayed"), "the spool replayed", TimeSpan.FromMinutes(1));
        Assert.Equal(("", 0u), Registration(restarted));
        Assert.Equal(0, restarted.Services.GetRequiredService<MessageSpool>().Depth);
    }

    [Fact]
    public async Task A_controller_registered_before_the_outage_that_leaves_while_records_are_spooled_is_unregistered_after_the_replay()
    {
        await using var daemon = await RunningDaemon.StartAsync(_services, "auth/none", Timeouts);
        var spool = daemon.Services.GetRequiredService<MessageSpool>();
        var controller = await ControllerAsync(daemon, 6817);
        Assert.Equal(("127.0.0.1", 6817u), Registration(daemon));

        await _services.MariaDb.KillAsync();
        Assert.Equal(0, Assert.IsType<PersistRc>(await controller.RequestAsync(
            new ClusterTresMessage(DbdMessageType.ClusterTres, "n[1-4]", 1_800_000_000, ClusterTres))).ReturnCode);
        Assert.Equal(1, spool.Depth);
        await controller.DisposeAsync();
        await Eventually.TrueAsync(() => daemon.Log().Contains("disconnect is stored once the spool has been replayed"),
            "the close deferred behind the spool");

        await _services.MariaDb.StartAsync();
        await Eventually.TrueAsync(() => spool.Depth == 0, "the spool replayed", TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(() => Registration(daemon).Port == 0, "the deferred close clears the registration");
        using var database = _services.MariaDb.Connect(daemon.Database);
        Assert.Equal(ClusterTres, database.ExecuteScalar<string>("SELECT tres FROM event WHERE node_name = '' AND time_end = 0"));
    }
}
