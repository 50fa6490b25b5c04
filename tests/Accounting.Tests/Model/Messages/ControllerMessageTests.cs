using System.Buffers.Binary;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;

namespace Accounting.Tests.Model.Messages;

/// <summary>
/// The slurmctld and sacct messages decode to the values the real 22.05.8 daemons sent (wire spec §8–9,
/// Appendix D; SUMMARY.md of the captures), the buffers nested in DBD_SEND_MULT_MSG/DBD_GOT_MULT_MSG
/// re-encode byte for byte, and malformed bodies fail only with <see cref="WireFormatException"/>.
/// </summary>
public sealed class ControllerMessageTests
{
    private const ushort Version = ProtocolVersion.Current;

    private static IDbdMessage Decode(CapturedMessage message) => DbdMessageDecoder.Decode(message.Payload, Version);

    private static IReadOnlyList<T> All<T>(string operation, DbdMessageType type) =>
        CapturedConversation.Load(operation).Where(m => m.Sequence > 0 && m.FirstU16 == (ushort)type)
            .Select(m => (T)Decode(m)).ToList();

    private static IEnumerable<IDbdMessage> InnerMessages(string operation, DbdMessageType type) =>
        All<MultMessage>(operation, type).SelectMany(mult => mult.DecodeBuffers(Version));

    private static byte[] Packed(IDbdMessage message)
    {
        var writer = new SlurmWriter();
        DbdMessageFraming.Pack(message, writer, Version);
        return writer.WrittenSpan.ToArray();
    }

    [Theory]
    [InlineData("slurmctld")]
    [InlineData("slurmctld_restart_direct")]
    public void Every_buffer_inside_mult_messages_decodes_and_re_encodes_byte_for_byte(string operation)
    {
        var mults = All<MultMessage>(operation, DbdMessageType.SendMultMsg)
            .Concat(All<MultMessage>(operation, DbdMessageType.GotMultMsg)).ToList();
        Assert.NotEmpty(mults);
        foreach (var mult in mults)
        {
            Assert.Equal(SlurmError.Success, mult.ReturnCode);
            var decoded = mult.DecodeBuffers(Version).ToList();
            Assert.Equal(mult.Buffers!.Count, decoded.Count);
            for (int i = 0; i < decoded.Count; i++)
                Assert.Equal(mult.Buffers[i], Packed(decoded[i]));
        }
    }

    [Fact]
    public void Inner_messages_are_the_step_and_job_messages_of_the_four_captured_jobs()
    {
        var inner = InnerMessages("slurmctld", DbdMessageType.SendMultMsg).ToList();

        Assert.Equal(
            [DbdMessageType.StepStart, DbdMessageType.StepStart,
             DbdMessageType.StepComplete, DbdMessageType.JobComplete, DbdMessageType.StepComplete, DbdMessageType.JobComplete,
             DbdMessageType.StepComplete, DbdMessageType.JobComplete, DbdMessageType.StepComplete, DbdMessageType.JobComplete],
            inner.Select(m => m.Type));
        Assert.Equal([120, 120, 1097, 123, 1097, 123, 1097, 100, 1097, 123],
            All<MultMessage>("slurmctld", DbdMessageType.SendMultMsg).SelectMany(mult => mult.Buffers!).Select(buffer => buffer.Length));
        var replies = InnerMessages("slurmctld", DbdMessageType.GotMultMsg).Cast<PersistRc>().ToList();
        Assert.Equal(inner.Select(m => (ushort)m.Type), replies.Select(rc => rc.RetInfo));
        Assert.All(replies, rc => Assert.Equal(SlurmError.Success, rc.ReturnCode));
    }

    [Fact]
    public void A_got_mult_msg_built_from_replies_is_the_one_slurmdbd_sent()
    {
        var captured = CapturedConversation.Load("slurmctld").First(m => m.FirstU16 == (ushort)DbdMessageType.GotMultMsg);
        var built = MultMessage.FromMessages(DbdMessageType.GotMultMsg,
            [PersistRc.Ok(DbdMessageType.StepStart), PersistRc.Ok(DbdMessageType.StepStart)], Version);

        Assert.Equal(captured.Payload, Packed(built));
    }

    [Theory]
    [InlineData("slurmctld")]
    [InlineData("slurmctld_restart_direct")]
    public void Register_ctld_announces_port_6817_with_cons_tres_and_multiple_slurmd(string operation)
    {
        var register = Assert.Single(All<RegisterCtldMessage>(operation, DbdMessageType.RegisterCtld));

        Assert.Equal(new RegisterCtldMessage(Dimensions: 1, Flags: 0x80, PluginIdSelect: 109, Port: 6817), register);
    }

    [Fact]
    public void Flush_jobs_sends_only_a_time_and_cluster_tres_the_nodes_and_counts()
    {
        var flush = Assert.Single(All<ClusterTresMessage>("slurmctld", DbdMessageType.FlushJobs));
        var tres = Assert.Single(All<ClusterTresMessage>("slurmctld", DbdMessageType.ClusterTres));

        Assert.Equal(new ClusterTresMessage(DbdMessageType.FlushJobs, null, 0x6b02bdeb, null), flush);
        Assert.Equal("localhost", tres.ClusterNodes);
        Assert.Equal("1=2,2=1000,3=0,4=1,5=2,6=0,7=0,8=0", tres.TresString);
    }

    [Theory]
    [InlineData("slurmctld", SlurmError.AccountingFirstRegistration)]
    [InlineData("slurmctld_restart_direct", SlurmError.Success)]
    public void Cluster_tres_is_answered_first_registration_only_the_first_time(string operation, int returnCode)
    {
        var reply = All<IDbdMessage>(operation, DbdMessageType.PersistRc).Cast<PersistRc>()
            .Single(rc => rc.RetInfo == (ushort)DbdMessageType.ClusterTres);

        Assert.Equal(returnCode, reply.ReturnCode);
    }

    [Fact]
    public void Node_state_up_names_the_node_without_reason_or_tres()
    {
        var state = Assert.Single(All<NodeStateMessage>("slurmctld", DbdMessageType.NodeState));

        Assert.Equal(new NodeStateMessage("localhost", null, 0, NodeStateMessage.NodeUp, 0x6b02bdec, 0, null), state);
    }

    [Fact]
    public void Mult_job_start_sends_four_pending_starts_and_gets_their_db_indexes_1_2_3_7()
    {
        var starts = Assert.Single(All<ListMessage<JobStartMessage>>("slurmctld", DbdMessageType.SendMultJobStart));
        var ids = Assert.Single(All<ListMessage<IdReturnCode>>("slurmctld", DbdMessageType.GotMultJobStart));

        Assert.Equal([0x04000001u, 0x04000002, 0x04000003, 0x04000004], starts.Items!.Select(job => job.JobId));
        Assert.All(starts.Items!, job => Assert.Equal(JobStartMessage.DbIndexPending, job.DbIndex));
        Assert.Equal(["sbatch --wrap sleep 2", "sbatch --wrap exit 3", "srun -N1 hostname", "sbatch -A physics --wrap sleep 1"],
            starts.Items!.Select(job => job.SubmitLine));
        Assert.Equal(starts.Items!.Select(job => job.JobId), ids.Items!.Select(id => id.JobId));
        Assert.Equal([1ul, 2, 3, 7], ids.Items!.Select(id => id.DbIndex));
        Assert.All(ids.Items!, id => Assert.Equal((0ul, SlurmError.Success), (id.Flags, id.ReturnCode)));
    }

    [Fact]
    public void A_lone_job_start_of_job_67108868_is_answered_with_db_index_7()
    {
        var start = Assert.Single(All<JobStartMessage>("slurmctld", DbdMessageType.JobStart));
        var reply = Assert.Single(All<IdReturnCode>("slurmctld", DbdMessageType.IdRc));

        Assert.Equal((67108868u, 7ul, 1u), (start.JobId, start.DbIndex, start.JobState));
        Assert.Equal(("wrap", "localhost", "0", "debug"), (start.Name, start.Nodes, start.NodeIndexes, start.Partition));
        Assert.Equal("1=1,2=1000,4=1,5=1", start.TresReqString);
        Assert.Equal(new IdReturnCode(67108868, 7, 0, SlurmError.Success), reply);
    }

    [Fact]
    public void Step_starts_name_batch_steps_and_the_srun_step()
    {
        var steps = InnerMessages("slurmctld", DbdMessageType.SendMultMsg).OfType<StepStartMessage>()
            .Concat(All<StepStartMessage>("slurmctld", DbdMessageType.StepStart)).ToList();

        Assert.Equal(["batch", "batch", "hostname", "batch"], steps.Select(step => step.Name));
        var srun = steps.Single(step => step.Name == "hostname");
        Assert.Equal(new SlurmStepId(67108867, 0, SlurmValues.NoVal), srun.StepId);
        Assert.Equal(("srun -N1 hostname", SlurmValues.NoVal), (srun.SubmitLine, srun.ReqCpuFreqMin));
        Assert.All(steps.Where(step => step.Name == "batch"), step => Assert.Equal(SlurmStepId.BatchScript, step.StepId.StepId));
    }

    [Fact]
    public void Step_completes_carry_the_wait_status_and_one_usage_entry_per_controller_tres()
    {
        var steps = InnerMessages("slurmctld", DbdMessageType.SendMultMsg).OfType<StepCompleteMessage>().ToList();

        Assert.Equal([67108866u, 67108865, 67108867, 67108868], steps.Select(step => step.StepId.JobId));
        Assert.Equal([768u, 0, 0, 0], steps.Select(step => step.ExitCode));
        Assert.Equal((ushort)0x8001, steps[0].State);
        foreach (var accounting in steps.Select(step => step.Accounting!))
        {
            Assert.Equal([1u, 2, 3, 4, 5, 6, 7, 8], accounting.TresIds);
            Assert.Null(accounting.TresList);
            ulong[][] usage =
            [
                accounting.TresUsageInMax, accounting.TresUsageInMaxNodeId, accounting.TresUsageInMaxTaskId,
                accounting.TresUsageInMin, accounting.TresUsageInMinNodeId, accounting.TresUsageInMinTaskId,
                accounting.TresUsageInTot, accounting.TresUsageOutMax, accounting.TresUsageOutMaxNodeId,
                accounting.TresUsageOutMaxTaskId, accounting.TresUsageOutMin, accounting.TresUsageOutMinNodeId,
                accounting.TresUsageOutMinTaskId, accounting.TresUsageOutTot,
            ];
            Assert.All(usage, values => Assert.Equal(8, values.Length));
            Assert.Equal(SlurmValues.Infinite64, accounting.TresUsageInMax[0]);
            Assert.Equal(0ul, accounting.TresUsageInTot[2]);
        }
    }

    [Fact]
    public void The_restarted_controller_replays_four_job_completes_with_their_db_indexes()
    {
        var completes = InnerMessages("slurmctld_restart_direct", DbdMessageType.SendMultMsg).Cast<JobCompleteMessage>().ToList();

        Assert.Equal([1ul, 2, 3, 7], completes.Select(job => job.DbIndex));
        Assert.Equal([3u, 5, 3, 3], completes.Select(job => job.JobState));
        Assert.Equal([0u, 768, 0, 0], completes.Select(job => job.ExitCode));
        Assert.All(completes, job => Assert.Equal(SlurmValues.Infinite, job.RequestingUid));
    }

    [Theory]
    [InlineData("sacct_X", JobConditionFlags.NoTruncate | JobConditionFlags.NoStep, new[] { "alpha" })]
    [InlineData("sacct_X_range", JobConditionFlags.NoTruncate | JobConditionFlags.NoStep, new[] { "alpha" })]
    [InlineData("sacct_all", JobConditionFlags.NoTruncate, new[] { "alpha" })]
    [InlineData("sacct_federation", JobConditionFlags.NoTruncate, new[] { "alpha", "beta" })]
    public void Sacct_asks_for_its_clusters_with_no_truncation_and_without_steps_for_minus_x(
        string operation, uint flags, string[] clusters)
    {
        var condition = Assert.Single(All<ConditionMessage<JobCondition>>(operation, DbdMessageType.GetJobsCond)).Condition;
        var jobs = Assert.Single(All<ListMessage<JobRecord>>(operation, DbdMessageType.GotJobs)).Items!;

        Assert.Equal(flags, condition.Flags);
        Assert.Equal(clusters, condition.ClusterList);
        Assert.Equal(JobCondition.DbFlagNotSet, condition.DbFlags);
        Assert.Null(condition.UserIdList);
        Assert.Null(condition.StepList);
        Assert.Equal([67108865u, 67108866, 67108867, 67108868], jobs.Select(job => job.JobId));
        bool withSteps = (flags & JobConditionFlags.NoStep) == 0;
        Assert.All(jobs, job => Assert.Equal(withSteps ? 1 : 0, job.Steps.Count));
    }

    [Fact]
    public void Sacct_minus_capital_s_2020_sends_that_day_as_the_window_start()
    {
        var condition = Assert.Single(All<ConditionMessage<JobCondition>>("sacct_X_range", DbdMessageType.GetJobsCond)).Condition;

        Assert.Equal(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), condition.UsageStart);
    }

    /// <summary>Fixtures/Vectors/sacct_all/sacct-output.txt is what that sacct printed (shared/anchor/sacct-all-22.05.txt).</summary>
    [Fact]
    public void Got_jobs_of_sacct_all_holds_what_sacct_printed()
    {
        var jobs = Assert.Single(All<ListMessage<JobRecord>>("sacct_all", DbdMessageType.GotJobs)).Items!;
        var printed = ReadParsable(Path.Combine(CapturedConversation.VectorsDirectory, "sacct_all", "sacct-output.txt"));

        Assert.Equal(8, printed.Count);
        foreach (var row in printed)
        {
            string[] id = row["JobIDRaw"].Split('.');
            var job = jobs.Single(j => j.JobId == uint.Parse(id[0]));
            Assert.Equal(row["DBIndex"], job.DbIndex.ToString());
            Assert.Equal(row["Cluster"], job.Cluster);
            if (id.Length == 1)
            {
                Assert.Equal(row["JobName"], job.JobName);
                Assert.Equal(row["State"], StateName(job.State));
                Assert.Equal(row["ExitCode"], ExitCodeText(job.ExitCode));
                Assert.Equal(row["Account"], job.Account);
                Assert.Equal(row["Partition"], job.Partition);
                Assert.Equal(row["NodeList"], job.Nodes);
                Assert.Equal(row["SubmitLine"], job.SubmitLine);
                Assert.Equal(row["WorkDir"], job.WorkDir);
                Assert.Equal(row["ElapsedRaw"], job.Elapsed.ToString());
                Assert.Equal(row["Priority"], job.Priority.ToString());
            }
            else
            {
                var step = Assert.Single(job.Steps);
                Assert.Equal(id[1], step.StepId.StepId == SlurmStepId.BatchScript ? "batch" : step.StepId.StepId.ToString());
                Assert.Equal(row["JobName"], step.StepName);
                Assert.Equal(row["State"], StateName(step.State));
                Assert.Equal(row["ExitCode"], ExitCodeText(step.ExitCode));
                Assert.Equal(row["NTasks"], step.TaskCount.ToString());
                Assert.Equal(row["ElapsedRaw"], step.Elapsed.ToString());
            }
        }
    }

    private static List<Dictionary<string, string>> ReadParsable(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split('|');
        return lines.Skip(1).Select(line => header.Zip(line.Split('|')).ToDictionary(f => f.First, f => f.Second)).ToList();
    }

    /// <summary>The two base states the captured jobs ended in (records spec §8.4).</summary>
    private static string StateName(uint state) => state switch
    {
        3 => "COMPLETED",
        5 => "FAILED",
        _ => $"state {state}",
    };

    /// <summary>sacct's "exit:signal" from a wait status (records spec §8.4).</summary>
    private static string ExitCodeText(uint status) => $"{(status >> 8) & 0xFF}:{status & 0x7F}";

    /// <summary>Each default record is the smallest thing its packer can emit, so it is exactly the bound lists are checked against.</summary>
    [Fact]
    public void Minimum_packed_sizes_are_what_an_empty_record_packs_to()
    {
        Assert.Equal(JobStartMessage.MinimumPackedSize, PackedLength(new JobStartMessage()));
        Assert.Equal(IdReturnCode.MinimumPackedSize, PackedLength(new IdReturnCode(0, 0, 0, 0)));
        Assert.Equal(JobRecord.MinimumPackedSize, PackedLength(new JobRecord()));
        Assert.Equal(StepRecord.MinimumPackedSize, PackedLength(new StepRecord()));
        Assert.Equal(StepStatistics.MinimumPackedSize, PackedLength(new StepStatistics()));
        Assert.Equal(ReservationRecord.MinimumPackedSize, PackedLength(new ReservationRecord()));
        Assert.Equal(SlurmStepId.PackedSize, PackedLength(new SlurmStepId(0, 0, 0)));
    }

    private static int PackedLength<T>(T record) where T : IWireRecord<T>
    {
        var writer = new SlurmWriter();
        record.Pack(writer);
        return writer.Length;
    }

    [Fact]
    public void Messages_absent_from_the_captures_round_trip_too()
    {
        IDbdMessage[] messages =
        [
            new RecordMessage<ReservationRecord>(DbdMessageType.AddResv, new ReservationRecord()),
            new ConditionMessage<ReservationCondition>(DbdMessageType.GetResvs, new ReservationCondition()),
            new ListMessage<ReservationRecord>(DbdMessageType.GotResvs, [new ReservationRecord { Name = "maint", TresList = [] }]),
            new MultMessage(DbdMessageType.SendMultMsg, null),
            new JobSuspendMessage(2, 7, 67108868, 2, 1795341822, 1795341830),
            new JobHeavyMessage("PATH=/bin", "2:ab", null, null),
            new StepCompleteMessage(),
        ];
        foreach (var message in messages)
        {
            var bytes = Packed(message);
            Assert.Equal(bytes, Packed(DbdMessageDecoder.Decode(bytes, Version)));
        }
    }

    [Fact]
    public void Counts_that_cannot_fit_the_body_are_refused_before_allocating()
    {
        byte[][] bodies =
        [
            Body(DbdMessageType.GotJobs, 0x7FFFFFFF),
            Body(DbdMessageType.SendMultJobStart, 100),
            Body(DbdMessageType.SendMultMsg, 0xFFFFFFF0),
            Body(DbdMessageType.GotMultJobStart, 2, 0, 0, 0, 0, 0, 0),
        ];
        foreach (var body in bodies)
            Assert.Throws<WireFormatException>(() => DbdMessageDecoder.Decode(body, Version));
    }

    [Fact]
    public void A_job_record_whose_step_count_is_no_val_is_refused()
    {
        byte[] marker = [0x5A, 0x5A, 0x5A, 0x5A];
        var writer = new SlurmWriter();
        writer.WriteU16((ushort)DbdMessageType.GotJobs);
        writer.WriteList<JobRecord>([new JobRecord { StateReasonPrev = BinaryPrimitives.ReadUInt32BigEndian(marker) }]);
        writer.WriteU32(0);
        var bytes = writer.WrittenSpan.ToArray();
        int stepCountAt = bytes.AsSpan().IndexOf(marker) + marker.Length;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(stepCountAt), SlurmValues.NoVal);

        var error = Assert.Throws<WireFormatException>(() => DbdMessageDecoder.Decode(bytes, Version));
        Assert.Contains("step count", error.Reason);
    }

    private static byte[] Body(DbdMessageType type, params uint[] words)
    {
        var writer = new SlurmWriter();
        writer.WriteU16((ushort)type);
        foreach (uint word in words)
            writer.WriteU32(word);
        return writer.WrittenSpan.ToArray();
    }

    private static readonly HashSet<DbdMessageType> ControllerTypes =
    [
        DbdMessageType.RegisterCtld, DbdMessageType.ClusterTres, DbdMessageType.FlushJobs, DbdMessageType.NodeState,
        DbdMessageType.JobStart, DbdMessageType.IdRc, DbdMessageType.StepStart, DbdMessageType.SendMultJobStart,
        DbdMessageType.GotMultJobStart, DbdMessageType.SendMultMsg, DbdMessageType.GotMultMsg,
        DbdMessageType.GetJobsCond, DbdMessageType.GotJobs,
    ];

    public static TheoryData<string> ControllerOperations() =>
        new("slurmctld", "slurmctld_restart_direct", "sacct_X", "sacct_all", "sacct_federation");

    /// <summary>Every cut and many corruptions of every captured controller message either decode or throw WireFormatException.</summary>
    [Theory]
    [MemberData(nameof(ControllerOperations))]
    public void Truncated_or_corrupted_controller_messages_fail_only_as_wire_format_errors(string operation)
    {
        var random = new Random(9728);
        var messages = CapturedConversation.Load(operation)
            .Where(m => m.Sequence > 0 && ControllerTypes.Contains((DbdMessageType)m.FirstU16)).ToList();
        Assert.NotEmpty(messages);
        foreach (var message in messages)
        {
            for (int length = 2; length < message.Payload.Length; length++)
                Assert.Throws<WireFormatException>(() => DbdMessageDecoder.Decode(message.Payload.AsSpan(0, length), Version));
            for (int attempt = 0; attempt < 200; attempt++)
            {
                var corrupted = (byte[])message.Payload.Clone();
                corrupted[2 + random.Next(corrupted.Length - 2)] = (byte)random.Next(256);
                try
                {
                    DecodeDeeply(corrupted);
                }
                catch (WireFormatException)
                {
                }
            }
        }
    }

    private static void DecodeDeeply(byte[] payload)
    {
        if (DbdMessageDecoder.Decode(payload, Version) is MultMessage mult)
            _ = mult.DecodeBuffers(Version).Count();
    }

    /// <summary>
    /// The 40,000,010-byte DBD_GOT_JOBS of `sacct -a -X` over 100,000 synthetic jobs, kept xz-compressed
    /// (Fixtures/LargeVectors): it decodes and re-encodes byte for byte. Its speed is measured in bench/, not here.
    /// </summary>
    [Fact]
    public async Task The_hundred_thousand_job_reply_decodes_and_re_encodes_byte_for_byte()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "LargeVectors", "sacct_100k");
        using var temporary = new TemporaryDirectory("sacct100k");
        string compressed = temporary.File("conn1.s2c.bin.xz");
        File.Copy(Path.Combine(folder, "conn1.s2c.bin.xz"), compressed);
        await ProcessRunner.RunCheckedAsync("xz", "--decompress", compressed);
        byte[] stream = File.ReadAllBytes(temporary.File("conn1.s2c.bin"));
        var reply = File.ReadLines(Path.Combine(folder, "conn1.idx.tsv")).Skip(1).Select(line => line.Split('\t'))
            .Single(fields => fields[2] == "s2c" && fields[6] == ((ushort)DbdMessageType.GotJobs).ToString());
        var payload = stream.AsSpan(int.Parse(reply[4]) + 4, int.Parse(reply[5]));

        var jobs = (ListMessage<JobRecord>)DbdMessageDecoder.Decode(payload, Version);
        var writer = new SlurmWriter(payload.Length + 16);
        DbdMessageFraming.Pack(jobs, writer, Version);

        Assert.Equal(100_000, jobs.Items!.Count);
        Assert.All(jobs.Items, job => Assert.Empty(job.Steps));
        Assert.True(payload.SequenceEqual(writer.WrittenSpan));
    }
}
