using Accounting.Model.Messages;
using Accounting.Model.Wire;
using Accounting.Tests.Support;
using Dapper;

namespace Accounting.Tests.Dbd.Handlers;

/// <summary>Statistics, configuration and shutdown requests, and who may send them.</summary>
[Collection(ServicesCollection.Name)]
public sealed class DaemonHandlersTests(SharedServices services)
{
    private const uint NobodyUid = 65534;

    private static async Task<DbdClient> ConnectAsAsync(RunningDaemon daemon, uint uid)
    {
        var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit(uid))).ReturnCode);
        return client;
    }

    [Theory]
    [InlineData(DbdMessageType.GetStats, (ushort)1489)]
    [InlineData(DbdMessageType.ClearStats, (ushort)1491)]
    [InlineData(DbdMessageType.Shutdown, (ushort)1492)]
    [InlineData(DbdMessageType.Reconfig, (ushort)1456)]
    public async Task Super_user_requests_from_an_ordinary_user_are_denied_and_the_connection_closed(DbdMessageType type, ushort retInfo)
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using var client = await ConnectAsAsync(daemon, NobodyUid);

        var reply = Assert.IsType<PersistRc>(await client.RequestAsync(new EmptyMessage(type)));

        Assert.Equal((SlurmError.AccessDenied, "Your user doesn't have privilege to perform this action", retInfo),
            (reply.ReturnCode, reply.Comment, reply.RetInfo));
        Assert.Null(await client.ReadFrameAsync());
        await using var root = await ConnectAsAsync(daemon, 0);
        Assert.IsType<StatsMessage>(await root.RequestAsync(new EmptyMessage(DbdMessageType.GetStats)));
    }

    [Fact]
    public async Task An_accounting_administrator_may_read_the_statistics()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        using (var connection = services.MariaDb.Connect(daemon.Database))
            connection.Execute("INSERT INTO `user` (creation_time, name, admin_level) VALUES (0, 'nobody', 3)");
        await using var client = await ConnectAsAsync(daemon, NobodyUid);

        Assert.IsType<StatsMessage>(await client.RequestAsync(new EmptyMessage(DbdMessageType.GetStats)));
    }

    [Fact]
    public async Task Statistics_count_every_request_by_type_and_by_user_until_cleared()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using (var nobody = await ConnectAsAsync(daemon, NobodyUid))
            await nobody.RequestAsync(new FiniMessage(0, 0));
        await using var root = await ConnectAsAsync(daemon, 0);

        var stats = Assert.IsType<StatsMessage>(await root.RequestAsync(new EmptyMessage(DbdMessageType.GetStats))).Stats;

        Assert.Equal([(1u, (uint)DbdMessageType.Fini), (2u, (uint)DbdMessageType.PersistInit)],
            stats.ByMessageType!.Select(rpc => (rpc.Count, rpc.Id)));
        Assert.Equal([(1u, 0u), (2u, NobodyUid)], stats.ByUser!.Select(rpc => (rpc.Count, rpc.Id)));
        Assert.Equal(PersistRc.Ok(DbdMessageType.ClearStats), await root.RequestAsync(new EmptyMessage(DbdMessageType.ClearStats)));
        var cleared = Assert.IsType<StatsMessage>(await root.RequestAsync(new EmptyMessage(DbdMessageType.GetStats))).Stats;
        Assert.Equal([(1u, (uint)DbdMessageType.ClearStats)], cleared.ByMessageType!.Select(rpc => (rpc.Count, rpc.Id)));
    }

    [Fact]
    public async Task Sacctmgr_show_config_lists_the_keys_the_real_slurmdbd_lists_in_its_order_then_the_spool()
    {
        var expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "RealOutput", "show-config-dbd-part.txt"));
        await using var daemon = await RunningDaemon.StartAsync(services);

        var result = await daemon.SacctmgrAsync("show", "config");

        var lines = result.StandardOutput.Split('\n');
        var ours = lines.SkipWhile(line => !line.StartsWith("SlurmDBD configuration:")).Where(line => line.Length > 0).ToList();
        // Our only addition: the spool's depth and replay progress, after everything slurmdbd lists.
        Assert.Equal(expected.Select(KeyOf).Concat(["SpoolDepth", "SpoolReplay"]), ours.Select(KeyOf));
        Assert.Contains("SpoolReplay            = nothing to replay", ours);
        Assert.Contains($"StorageLoc             = {daemon.Database}", ours);
        Assert.DoesNotContain(MariaDbServer.Password, result.StandardOutput);
    }

    private static string KeyOf(string line) => line.Split('=')[0].TrimEnd();
}
