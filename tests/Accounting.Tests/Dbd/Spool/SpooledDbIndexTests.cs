using Accounting.Dbd.Spool;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Accounting.Tests.Dbd.Spool;

/// <summary>
/// The db_index values handed out while the database is away: reserved above every job and out of the
/// AUTO_INCREMENT sequence, and a replayed start takes its value unless a row already has it.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class SpooledDbIndexTests(SharedServices services)
{
    [Fact]
    public async Task A_replayed_start_takes_its_reserved_db_index_and_a_taken_one_never_overwrites_another_job()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await using (var client = await DbdClient.ConnectAsync(daemon.EndPoint))
        {
            Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);
            Assert.Equal(0, ((PersistRc)await client.RequestAsync(new RegisterCtldMessage(1, 0x80, 109, 6817))).ReturnCode);
            Assert.Equal(0, ((IdReturnCode)await client.RequestAsync(FakeSlurmctld.Start(1))).ReturnCode);
        }
        var repository = daemon.Services.GetRequiredService<JobIndexBlockRepository>();
        var locator = daemon.Services.GetRequiredService<DatabaseLocator>();
        var (first, last) = daemon.Services.GetRequiredService<JobIndexBlock>().Range;
        using var database = services.MariaDb.Connect(daemon.Database);
        ulong liveIndex = database.ExecuteScalar<ulong>("SELECT job_db_inx FROM job WHERE id_job = 1");
        // The block the daemon reserved at start is in the database and above the live job's index.
        Assert.True(repository.IsReserved(locator, first, last));
        Assert.True(liveIndex > last, $"live job {liveIndex}, block {first}-{last}");

        var jobs = daemon.Services.GetRequiredService<JobRepository>();
        uint clusterId = JobTableRows.ClusterId(database, "alpha");
        ulong fallback;
        using (var transaction = database.BeginTransaction())
        {
            var scope = new SqlScope(database, transaction);
            ulong Replay(uint job, ulong spooledIndex)
            {
                jobs.ClaimSpooledIndex(scope, clusterId, FakeSlurmctld.Start(job), spooledIndex);
                return jobs.Start(scope, clusterId, FakeSlurmctld.Start(job), 0);
            }
            Assert.Equal(first, Replay(2, first));
            // A value some row already has (here the live job's) gives a new row its own index instead.
            fallback = Replay(3, liveIndex);
            Assert.NotEqual(liveIndex, fallback);
            // Replayed again (with another value, as after a lost reply), the start merges into its row.
            Assert.Equal(first, Replay(2, first + 1));
            transaction.Commit();
        }
        Assert.Equal([(1u, liveIndex), (2u, first), (3u, fallback)],
            database.Query<(uint, ulong)>("SELECT id_job, job_db_inx FROM job ORDER BY id_job").ToList());
        // The live job's row was not touched by job 3's claim.
        Assert.Equal("wrap", database.ExecuteScalar<string>("SELECT job_name FROM job WHERE id_job = 1"));

        // A new block starts above everything, earlier blocks included, and no insert takes its values.
        var next = repository.Reserve(locator, 10, 0);
        Assert.True(next.First > Math.Max(last, fallback));
        await using (var client = await DbdClient.ConnectAsync(daemon.EndPoint))
        {
            Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);
            var id = (IdReturnCode)await client.RequestAsync(FakeSlurmctld.Start(4));
            Assert.True(id.DbIndex > next.Last, $"job 4 got {id.DbIndex}, block {next.First}-{next.Last}");
        }
    }
}
