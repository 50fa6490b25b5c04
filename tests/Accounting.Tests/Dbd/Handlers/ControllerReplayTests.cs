using System.Diagnostics;
using Accounting.Model.Messages;
using Accounting.Model.Wire;
using Accounting.Tests.Support;
using Dapper;
using Xunit.Abstractions;

namespace Accounting.Tests.Dbd.Handlers;

/// <summary>
/// The captured conversation of a real slurmctld 22.05.8 with the real slurmdbd (startup, registration, three
/// jobs; wire spec §11.3), replayed against our daemon on a fresh database: every reply has the captured
/// type and return code, db indexes are stable, and replaying it again (what a controller does with its
/// queue after a lost reply) changes nothing.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class ControllerReplayTests(SharedServices services, ITestOutputHelper output)
{
    private const string Capture = "slurmctld";
    private const string RestartCapture = "slurmctld_restart_direct";

    [Fact]
    public async Task The_slurmctld_capture_gets_the_captured_replies_and_a_second_replay_changes_nothing()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");

        var watch = Stopwatch.StartNew();
        var first = await ReplayAsync(daemon, Capture);
        output.WriteLine($"first replay: {watch.ElapsedMilliseconds} ms");
        Assert.Empty(first.Mismatches);
        Assert.NotEmpty(first.DbIndexes);
        Assert.DoesNotContain(0ul, first.DbIndexes);
        var rowsAfterFirst = Rows(daemon);

        var second = await ReplayAsync(daemon, Capture);
        // The cluster event is open with the same nodes and TRES now: the registration is not a first one.
        Assert.Equal(["#8 PERSIST_RC rc 0 ret 1407 (captured PERSIST_RC rc 10002 ret 1407)"], second.Mismatches);
        Assert.Equal(first.DbIndexes, second.DbIndexes);
        Assert.Equal(rowsAfterFirst, Rows(daemon));
    }

    [Fact]
    public async Task After_the_first_run_the_restarted_controller_registers_with_unchanged_TRES()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        Assert.Empty((await ReplayAsync(daemon, Capture)).Mismatches);

        var restart = await ReplayAsync(daemon, RestartCapture);

        Assert.Empty(restart.Mismatches);
        Assert.Contains("#7 PERSIST_RC rc 0 ret 1407", restart.Outcomes);
    }

    private sealed record Replay(List<string> Outcomes, List<string> Mismatches, List<ulong> DbIndexes);

    /// <summary>Sends every captured request after a fresh auth/none init and compares each reply's outcome.</summary>
    private static async Task<Replay> ReplayAsync(RunningDaemon daemon, string operation)
    {
        var conversation = CapturedConversation.Load(operation);
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit(cluster: "alpha"))).ReturnCode);
        var outcomes = new List<string>();
        var mismatches = new List<string>();
        var indexes = new List<ulong>();
        foreach (var request in conversation.Where(m => m.Direction == "c2s" && m.Sequence > 0))
        {
            var expected = conversation.Single(m => m.Direction == "s2c" && m.Sequence == request.Sequence);
            await client.SendFrameAsync(request.Payload);
            var reply = await client.ReadFrameAsync() ?? throw new IOException($"no reply to {request}");
            var got = Outcome(reply, indexes);
            var want = Outcome(expected.Payload, []);
            outcomes.AddRange(got.Select(o => $"#{request.Sequence} {o}"));
            // Replies without db indexes must be the captured bytes exactly (comments, flags, inner replies).
            bool exact = (DbdMessageType)expected.FirstU16 is DbdMessageType.PersistRc or DbdMessageType.GotMultMsg;
            if (!got.SequenceEqual(want) || (exact && !reply.AsSpan().SequenceEqual(expected.Payload)))
                mismatches.Add($"#{request.Sequence} {string.Join("; ", got)} (captured {string.Join("; ", want)})");
        }
        return new Replay(outcomes, mismatches, indexes);
    }

    /// <summary>The reply type with its return codes (inner ones for the batch replies); db indexes are collected.</summary>
    private static List<string> Outcome(byte[] payload, List<ulong> indexes)
    {
        var type = (DbdMessageType)((payload[0] << 8) | payload[1]);
        if (type is not (DbdMessageType.PersistRc or DbdMessageType.IdRc or DbdMessageType.GotMultJobStart or DbdMessageType.GotMultMsg))
            return [DbdMessageTypeInfo.SlurmName((ushort)type)];
        switch (DbdMessageDecoder.Decode(payload, ProtocolVersion.Current))
        {
            case PersistRc rc:
                return [$"PERSIST_RC rc {rc.ReturnCode} ret {rc.RetInfo}"];
            case IdReturnCode id:
                indexes.Add(id.DbIndex);
                return [$"DBD_ID_RC rc {id.ReturnCode} flags {id.Flags}"];
            case ListMessage<IdReturnCode> list:
                indexes.AddRange(list.Items!.Select(i => i.DbIndex));
                return [$"DBD_GOT_MULT_JOB_START rc {string.Join(",", list.Items!.Select(i => i.ReturnCode))}"];
            case MultMessage mult:
                return [$"DBD_GOT_MULT_MSG rc [{string.Join(",", mult.Buffers!.SelectMany(b => Outcome(b, indexes)))}]"];
            default:
                throw new InvalidOperationException($"unexpected {type}");
        }
    }

    /// <summary>What the controller messages wrote, without the times of our own clock (mod_time).</summary>
    private List<string> Rows(RunningDaemon daemon)
    {
        using var connection = services.MariaDb.Connect(daemon.Database);
        var rows = new List<string>();
        foreach (string table in new[] { "job", "step", "event", "suspend", "resv", "cluster", "assoc" })
            rows.Add($"{table}: {connection.ExecuteScalar<long>($"SELECT COUNT(*) FROM `{table}`")}");
        rows.AddRange(connection.Query<string>("""
            SELECT CONCAT_WS(' ', job_db_inx, id_job, state, time_submit, time_start, time_end, exit_code, nodelist, tres_alloc)
            FROM job ORDER BY job_db_inx
            """));
        rows.AddRange(connection.Query<string>("""
            SELECT CONCAT_WS(' ', job_db_inx, id_step, state, time_start, time_end, exit_code, user_sec, tres_usage_in_tot)
            FROM step ORDER BY job_db_inx, id_step
            """));
        rows.AddRange(connection.Query<string>(
            "SELECT CONCAT_WS(' ', node_name, time_start, time_end, state, tres) FROM event ORDER BY id"));
        return rows;
    }
}
