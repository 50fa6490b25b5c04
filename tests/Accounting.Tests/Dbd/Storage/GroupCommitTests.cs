using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Wire;
using Accounting.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Accounting.Tests.Dbd.Storage;

/// <summary>
/// The group commit of controller writes (issue 5 item 5): records of concurrent connections share one
/// transaction, CommitDelay keeps a group open, and nothing is answered before its group committed.
/// Units are given to the daemon's own GroupCommit and checked in the real database.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class GroupCommitTests(SharedServices services)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>What a unit saw while it ran: its connection, the rows its transaction sees, the rows committed.</summary>
    private sealed record Seen(ulong Connection, int Inside, int Committed);

    /// <summary>A unit that stores <paramref name="id"/> and reports what it saw.</summary>
    private Action<SqlScope> Store(RunningDaemon daemon, int id, TaskCompletionSource<Seen> ran) => scope =>
    {
        scope.Connection.Execute("INSERT INTO group_probe (id) VALUES (@Id)", new { Id = id }, scope.Transaction);
        var (connection, inside) = scope.Connection.QuerySingle<(ulong, int)>(
            "SELECT CONNECTION_ID(), COUNT(*) FROM group_probe", transaction: scope.Transaction);
        ran.TrySetResult(new Seen(connection, inside, Stored(daemon).Count));
    };

    private static TaskCompletionSource<Seen> Probe() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task<(RunningDaemon Daemon, GroupCommit Group)> StartAsync(int commitDelay)
    {
        var daemon = await RunningDaemon.StartAsync(services, "auth/none", $"CommitDelay={commitDelay}");
        await using var database = services.MariaDb.Connect(daemon.Database);
        database.Execute("CREATE TABLE group_probe (id INT PRIMARY KEY)");
        return (daemon, daemon.Services.GetRequiredService<GroupCommit>());
    }

    private List<int> Stored(RunningDaemon daemon)
    {
        using var database = services.MariaDb.Connect(daemon.Database);
        return database.Query<int>("SELECT id FROM group_probe ORDER BY id").ToList();
    }

    [Fact]
    public async Task With_CommitDelay_units_arriving_within_it_share_one_transaction_and_are_answered_only_after_its_commit()
    {
        var (daemon, group) = await StartAsync(commitDelay: 3);
        await using var _ = daemon;
        var first = Probe();
        var second = Probe();

        var firstDone = group.RunAsync(Store(daemon, 1, first), Deadline);
        await first.Task.WaitAsync(Deadline);
        // The unit has run but its group is still collecting: not committed, so not answered.
        Assert.Empty(Stored(daemon));
        Assert.False(firstDone.IsCompleted);
        var secondDone = group.RunAsync(Store(daemon, 2, second), Deadline);
        await Task.WhenAll(firstDone, secondDone);

        // The second unit saw the first one's row, which nobody else saw yet: one transaction.
        Assert.Equal(new Seen((await first.Task).Connection, 2, 0), await second.Task);
        Assert.Equal([1, 2], Stored(daemon));
    }

    [Fact]
    public async Task Without_CommitDelay_a_unit_after_a_committed_one_gets_a_transaction_of_its_own()
    {
        var (daemon, group) = await StartAsync(commitDelay: 0);
        await using var _ = daemon;
        var first = Probe();
        var second = Probe();

        await group.RunAsync(Store(daemon, 1, first), Deadline);
        Assert.Equal([1], Stored(daemon));
        await group.RunAsync(Store(daemon, 2, second), Deadline);

        Assert.Equal(1, (await second.Task).Committed);
        Assert.Equal([1, 2], Stored(daemon));
    }

    [Fact]
    public async Task A_unit_that_fails_is_rolled_back_alone_and_the_rest_of_its_group_commits()
    {
        var (daemon, group) = await StartAsync(commitDelay: 2);
        await using var _ = daemon;
        var first = Probe();
        var third = Probe();

        var firstDone = group.RunAsync(Store(daemon, 1, first), Deadline);
        await first.Task.WaitAsync(Deadline);
        var failing = group.RunAsync(scope =>
        {
            scope.Connection.Execute("INSERT INTO group_probe (id) VALUES (2)", transaction: scope.Transaction);
            throw new InvalidOperationException("a fault in this unit");
        }, Deadline);
        var thirdDone = group.RunAsync(Store(daemon, 3, third), Deadline);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("a fault in this unit", failure.Message);
        await Task.WhenAll(firstDone, thirdDone);
        // The third unit ran in the same transaction as the first and no longer saw the failed unit's row.
        Assert.Equal(new Seen((await first.Task).Connection, 2, 0), await third.Task);
        Assert.Equal([1, 3], Stored(daemon));
    }

    [Fact]
    public async Task A_failed_commit_answers_every_unit_of_its_group_with_an_error_and_stores_none_of_them()
    {
        var (daemon, group) = await StartAsync(commitDelay: 3);
        await using var _ = daemon;
        var first = Probe();
        var second = Probe();

        var firstDone = group.RunAsync(Store(daemon, 1, first), Deadline);
        var secondDone = group.RunAsync(Store(daemon, 2, second), Deadline);
        var connectionId = (await second.Task.WaitAsync(Deadline)).Connection;
        // The database drops the group's connection before the group commits.
        await using (var admin = services.MariaDb.Connect(daemon.Database))
            admin.Execute($"KILL CONNECTION {connectionId}");

        await Assert.ThrowsAsync<StorageUnavailableException>(() => firstDone);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => secondDone);
        Assert.Empty(Stored(daemon));
        // The next group opens a new connection.
        await group.RunAsync(Store(daemon, 3, Probe()), Deadline);
        Assert.Equal([3], Stored(daemon));
    }

    [Fact]
    public async Task Concurrent_controller_connections_with_CommitDelay_get_every_acknowledged_record_stored()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none", "CommitDelay=1");
        await using (var registrar = await DbdClient.ConnectAsync(daemon.EndPoint))
        {
            Assert.Equal(0, (await registrar.InitAsync(DbdClient.NoneInit())).ReturnCode);
            Assert.Equal(0, Assert.IsType<PersistRc>(await registrar.RequestAsync(new RegisterCtldMessage(1, 0x80, 109, 6817))).ReturnCode);
        }
        const int Connections = 4, Batches = 3, BatchSize = 20;

        var acknowledged = await Task.WhenAll(Enumerable.Range(0, Connections).Select(async connection =>
        {
            await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
            Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);
            var jobs = new List<(uint JobId, ulong DbIndex)>();
            for (int batch = 0; batch < Batches; batch++)
            {
                var starts = Enumerable.Range(0, BatchSize)
                    .Select(i => new JobStartMessage { JobId = (uint)(connection * 1000 + batch * BatchSize + i + 1), SubmitTime = 1_800_000_000, JobState = 1 })
                    .ToList();
                var reply = Assert.IsType<ListMessage<IdReturnCode>>(
                    await client.RequestAsync(new ListMessage<JobStartMessage>(DbdMessageType.SendMultJobStart, starts)));
                jobs.AddRange(reply.Items!.Where(id => id.ReturnCode == 0).Select(id => (id.JobId, id.DbIndex)));
                var single = new JobStartMessage { JobId = (uint)(connection * 1000 + 900 + batch), SubmitTime = 1_800_000_000, JobState = 1 };
                if (await client.RequestAsync(single) is IdReturnCode { ReturnCode: 0 } id)
                    jobs.Add((id.JobId, id.DbIndex));
            }
            return jobs;
        }));

        var expected = acknowledged.SelectMany(jobs => jobs).OrderBy(job => job.JobId).ToList();
        Assert.Equal(Connections * Batches * (BatchSize + 1), expected.Count);
        await using var database = services.MariaDb.Connect(daemon.Database);
        var stored = database.Query<(uint, ulong)>("SELECT id_job, job_db_inx FROM job ORDER BY id_job").ToList();
        Assert.Equal(expected, stored);
    }
}
