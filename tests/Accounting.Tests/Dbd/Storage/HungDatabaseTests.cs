using System.Diagnostics;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;

namespace Accounting.Tests.Dbd.Storage;

/// <summary>
/// A database that stops answering (SIGSTOP: the TCP connection stays up, nothing comes back) must never
/// hang a connection handler: the request gets ESLURM_DB_CONNECTION once the storage deadline passes,
/// other requests keep being answered, and service resumes when the database does.
/// </summary>
public sealed class HungDatabaseTests : IAsyncLifetime
{
    private readonly SharedServices _services = new();

    public Task InitializeAsync() => _services.InitializeAsync();

    public Task DisposeAsync() => _services.DisposeAsync();

    private static readonly IDbdMessage GetAllTres =
        new ConditionMessage<TresCondition>(DbdMessageType.GetTres, new TresCondition(0, null, null, null, null, 0));

    private static void Signal(string signal, int pid) => Process.Start("kill", [$"-{signal}", $"{pid}"]).WaitForExit();

    [Fact]
    public async Task A_stopped_database_gets_db_connection_errors_not_a_hang_and_service_resumes()
    {
        await using var daemon = await RunningDaemon.StartAsync(_services, "auth/none", "StorageParameters=CONNECT_TIMEOUT=1,COMMAND_TIMEOUT=1");
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);

        Signal("STOP", _services.MariaDb.ProcessId);
        try
        {
            var clock = Stopwatch.StartNew();
            var reply = Assert.IsType<PersistRc>(await client.RequestAsync(GetAllTres));
            Assert.Equal((SlurmError.DbConnection, (ushort)DbdMessageType.GetTres), (reply.ReturnCode, reply.RetInfo));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"answered after {clock.Elapsed}");

            // Requests that need no database are still answered at once on a new connection.
            await using var other = await DbdClient.ConnectAsync(daemon.EndPoint);
            Assert.Equal(0, (await other.InitAsync(DbdClient.NoneInit())).ReturnCode);
            Assert.IsType<StatsMessage>(await other.RequestAsync(new EmptyMessage(DbdMessageType.GetStats)));
        }
        finally
        {
            Signal("CONT", _services.MariaDb.ProcessId);
        }
        var tres = Assert.IsType<ListMessage<TresRecord>>(await client.RequestAsync(GetAllTres));
        Assert.Equal(8, tres.Items!.Count);
    }
}
