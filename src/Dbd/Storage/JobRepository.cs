using Accounting.Model.Messages;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>
/// The job, suspend, job_env and job_script tables as the controller messages write them (wire spec §9.5–9.9,
/// §10). A job instance is identified by cluster + id_job + time_submit; job_db_inx is its stable db_index.
/// </summary>
public sealed class JobRepository(RollupRewind rollupRewind)
{
    /// <summary>A job complete's update of the row of its identity, and the end time that may rewind the rollup.</summary>
    public readonly record struct JobCompletion(Statement ByIdentity, long EndTime);

    /// <summary>JOB_STATE_BASE and the state flags the job table keeps instead of the base state (Appendix C).</summary>
    public const uint StateBase = 0xff;
    public const uint StateRunning = 1;
    public const uint StateSuspended = 2;
    public const uint StateComplete = 3;
    public const uint StateCancelled = 4;
    public const uint FlagRequeue = 0x400;
    public const uint FlagResizing = 0x2000;
    public const uint FlagRevoked = 0x80000;

    /// <summary>SLURMDB_JOB_FLAG_START_R: the row has received a start record.</summary>
    private const uint DbFlagStartReceived = 0x10;

    /// <summary>_get_db_index: the row of (job id, submit time) in the cluster, 0 when there is none.</summary>
    public ulong IndexOf(SqlScope scope, uint clusterId, uint jobId, long submitTime) =>
        scope.Connection.ExecuteScalar<ulong?>(
            "SELECT job_db_inx FROM job WHERE cluster_id = @ClusterId AND id_job = @JobId AND time_submit = @SubmitTime",
            new { ClusterId = clusterId, JobId = jobId, SubmitTime = submitTime }, scope.Transaction) ?? 0;

    /// <summary>
    /// as_mysql_job_start: insert, or update the row of the same (id_job, time_submit), and return its
    /// job_db_inx. The identity is used even when the message carries a db_index, because that index may come
    /// from another server (a replayed dbd.messages) and the identity always names the same row; the state only
    /// grows (state = greatest(state, new)). RESIZING is stripped: a 22.05 controller ends the old row itself.
    /// </summary>
    public ulong Start(SqlScope scope, uint clusterId, JobStartMessage job, long now)
    {
        RewindForLateStarts(scope, clusterId, [job]);
        var statement = StartStatement(scope, clusterId, job, now);
        return scope.Connection.ExecuteScalar<ulong>(statement.Sql, statement.Parameters, scope.Transaction);
    }

    /// <summary>
    /// <see cref="Start"/> for the jobs of a DBD_SEND_MULT_JOB_START, in order: their statements go to the
    /// server in one round trip per <see cref="StartsPerTrip"/> jobs (one after another, exactly as if sent
    /// alone), after <see cref="RewindForLateStarts"/> for them.
    /// </summary>
    public List<ulong> StartAll(SqlScope scope, uint clusterId, IReadOnlyList<JobStartMessage> jobs, long now)
    {
        var indexes = new List<ulong>(jobs.Count);
        foreach (var chunk in jobs.Chunk(StartsPerTrip))
        {
            RewindForLateStarts(scope, clusterId, chunk);
            var batch = new StatementBatch();
            foreach (var job in chunk)
                batch.AddSelecting(StartStatement(scope, clusterId, job, now));
            indexes.AddRange(batch.Execute(scope).Select(index => (ulong)index));
        }
        return indexes;
    }

    private const int StartsPerTrip = 100;

    /// <summary>
    /// A job heard about after its hour was rolled up, unless this exact record is already stored (a re-sent
    /// start), makes the rollup recompute from then (as_mysql_job_start). For several starts one read finds
    /// the stored ones and one rewind goes to the earliest time of the others: the marks only move back, so
    /// that leaves what a rewind for each leaves. The read runs before the starts are written, so a job sent
    /// twice among them may rewind once more than needed (never less).
    /// </summary>
    public void RewindForLateStarts(SqlScope scope, uint clusterId, IReadOnlyCollection<JobStartMessage> jobs)
    {
        var late = jobs.Where(job => rollupRewind.IsLate(CheckTime(job))).ToList();
        if (late.Count == 0)
            return;
        var stored = scope.Connection.Query<(uint, long, long, long)>("""
            SELECT id_job, CAST(time_submit AS SIGNED), CAST(time_eligible AS SIGNED), CAST(time_start AS SIGNED)
            FROM job WHERE cluster_id = @ClusterId AND id_job IN @JobIds
            """, new { ClusterId = clusterId, JobIds = late.Select(job => job.JobId).Distinct().ToList() }, scope.Transaction).ToHashSet();
        var unstored = late.Where(job => !stored.Contains((job.JobId, job.SubmitTime, job.EligibleTime, job.StartTime))).ToList();
        if (unstored.Count > 0)
            rollupRewind.Rewind(scope, clusterId, unstored.Min(CheckTime));
    }

    /// <summary>The time a start is about: its start, else its eligible, else its submit time.</summary>
    private static long CheckTime(JobStartMessage job) =>
        job.StartTime != 0 ? job.StartTime : job.EligibleTime != 0 ? job.EligibleTime : job.SubmitTime;

    /// <summary>
    /// The statement of <see cref="Start"/> without its <see cref="RewindForLateStarts"/>: the upsert and the
    /// read of the row's job_db_inx. Making it may already write the env and script hash rows it refers to.
    /// </summary>
    public Statement StartStatement(SqlScope scope, uint clusterId, JobStartMessage job, long now)
    {
        uint arrayTaskId = job.ArrayJobId != 0 ? job.ArrayTaskId : SlurmValues.NoVal;
        uint hetJobOffset = job.HetJobId != 0 ? job.HetJobOffset : SlurmValues.NoVal;
        bool arrayMeta = job.ArrayTaskString is not null;
        var parameters = new
        {
            ClusterId = clusterId,
            Now = now,
            job.JobId,
            job.ArrayJobId,
            ArrayTaskId = arrayTaskId,
            job.HetJobId,
            HetJobOffset = hetJobOffset,
            job.AssocId,
            job.QosId,
            job.Uid,
            job.Gid,
            Nodes = string.IsNullOrEmpty(job.Nodes) ? "None assigned" : job.Nodes,
            job.ReservationId,
            job.Timelimit,
            job.EligibleTime,
            job.SubmitTime,
            job.StartTime,
            Name = string.IsNullOrEmpty(job.Name) ? "allocation" : job.Name,
            State = job.JobState & StateBase,
            job.Priority,
            job.ReqCpus,
            job.AllocNodes,
            job.ReqMem,
            Flags = job.DbFlags | DbFlagStartReceived,
            job.StateReasonPrev,
            EnvHashInx = HashIndex(scope, clusterId, "job_env", "env_hash", job.EnvHash, now),
            ScriptHashInx = HashIndex(scope, clusterId, "job_script", "script_hash", job.ScriptHash, now),
            job.McsLabel,
            job.Account,
            job.Partition,
            job.Wckey,
            job.NodeIndexes,
            ArrayTaskString = job.ArrayTaskString,
            ArrayMaxTasks = arrayMeta ? job.ArrayMaxTasks : 0,
            ArrayTaskPending = arrayMeta ? job.ArrayTaskPending : 0,
            job.TresAllocString,
            job.TresReqString,
            job.WorkDir,
            job.Constraints,
            job.SubmitLine,
            job.Container,
        };
        // Optional strings keep the stored value when the message has none, as the reference only names
        // the columns it was given. The insert and the read of its id are one round trip.
        return new Statement("""
            INSERT INTO job (cluster_id, id_job, mod_time, id_array_job, id_array_task, het_job_id, het_job_offset,
                id_assoc, id_qos, id_user, id_group, nodelist, id_resv, timelimit, time_eligible, time_submit,
                time_start, job_name, state, priority, cpus_req, nodes_alloc, mem_req, flags, state_reason_prev,
                env_hash_inx, script_hash_inx, mcs_label, account, `partition`, wckey, node_inx, array_task_str,
                array_max_tasks, array_task_pending, tres_alloc, tres_req, work_dir, constraints, submit_line, container)
            VALUES (@ClusterId, @JobId, @Now, @ArrayJobId, @ArrayTaskId, @HetJobId, @HetJobOffset,
                @AssocId, @QosId, @Uid, @Gid, @Nodes, @ReservationId, @Timelimit, @EligibleTime, @SubmitTime,
                @StartTime, @Name, @State, @Priority, @ReqCpus, @AllocNodes, @ReqMem, @Flags, @StateReasonPrev,
                @EnvHashInx, @ScriptHashInx, COALESCE(@McsLabel, ''), @Account, COALESCE(@Partition, ''),
                COALESCE(@Wckey, ''), @NodeIndexes, @ArrayTaskString, @ArrayMaxTasks, @ArrayTaskPending,
                COALESCE(@TresAllocString, ''), COALESCE(@TresReqString, ''), COALESCE(@WorkDir, ''),
                COALESCE(@Constraints, ''), @SubmitLine, @Container)
            ON DUPLICATE KEY UPDATE job_db_inx = LAST_INSERT_ID(job_db_inx), id_assoc = @AssocId, id_user = @Uid,
                id_group = @Gid, nodelist = @Nodes, id_resv = @ReservationId, timelimit = @Timelimit,
                time_eligible = @EligibleTime, time_start = @StartTime, mod_time = @Now, job_name = @Name,
                id_qos = @QosId, state = GREATEST(state, @State), priority = @Priority, cpus_req = @ReqCpus,
                nodes_alloc = @AllocNodes, mem_req = @ReqMem, id_array_job = @ArrayJobId, id_array_task = @ArrayTaskId,
                het_job_id = @HetJobId, het_job_offset = @HetJobOffset, flags = @Flags,
                state_reason_prev = @StateReasonPrev,
                env_hash_inx = IF(@EnvHashInx = 0, env_hash_inx, @EnvHashInx),
                script_hash_inx = IF(@ScriptHashInx = 0, script_hash_inx, @ScriptHashInx),
                mcs_label = COALESCE(@McsLabel, mcs_label), account = COALESCE(@Account, account),
                `partition` = COALESCE(@Partition, `partition`), wckey = COALESCE(@Wckey, wckey),
                node_inx = COALESCE(@NodeIndexes, node_inx), array_task_str = @ArrayTaskString,
                array_max_tasks = IF(@ArrayTaskString IS NULL, array_max_tasks, @ArrayMaxTasks),
                array_task_pending = @ArrayTaskPending,
                tres_alloc = COALESCE(@TresAllocString, tres_alloc), tres_req = COALESCE(@TresReqString, tres_req),
                work_dir = COALESCE(@WorkDir, work_dir), constraints = COALESCE(@Constraints, constraints),
                submit_line = COALESCE(@SubmitLine, submit_line), container = COALESCE(@Container, container);
            SELECT LAST_INSERT_ID()
            """, parameters);
    }

    /// <summary>
    /// For a replayed spooled job start: makes the job's row with the db_index the controller was answered
    /// with (one of a block reserved in job_db_index_block), for <see cref="Start"/> to merge into by identity.
    /// Nothing happens when the job has a row already or some row has that index; the job then keeps or gets
    /// an index of its own, and later messages find it by identity. The other columns keep their defaults,
    /// which are what Start inserts for absent values.
    /// </summary>
    public void ClaimSpooledIndex(SqlScope scope, uint clusterId, JobStartMessage job, ulong spooledIndex) =>
        scope.Connection.Execute("""
            INSERT IGNORE INTO job (job_db_inx, cluster_id, id_job, time_submit, id_user, id_group)
            VALUES (@Index, @ClusterId, @JobId, @SubmitTime, @Uid, @Gid)
            """, new { Index = spooledIndex, ClusterId = clusterId, job.JobId, job.SubmitTime, job.Uid, job.Gid }, scope.Transaction);

    /// <summary>
    /// The row a job complete, suspend or step message refers to: the given db_index when it is one of this
    /// cluster's rows, else the row of (job id, submit time), else a row made from what the message knows
    /// (wire spec §10.1: the start may arrive later and is merged into it).
    /// </summary>
    public ulong Resolve(SqlScope scope, uint clusterId, ulong dbIndex, JobStartMessage known, long now)
    {
        ulong index = IndexOf(scope, clusterId, known.JobId, known.SubmitTime);
        if (index != 0)
            return index;
        if (dbIndex != 0 && dbIndex != JobStartMessage.DbIndexPending)
        {
            var owned = scope.Connection.ExecuteScalar<ulong?>(
                "SELECT job_db_inx FROM job WHERE job_db_inx = @DbIndex AND cluster_id = @ClusterId AND id_job = @JobId",
                new { DbIndex = dbIndex, ClusterId = clusterId, known.JobId }, scope.Transaction);
            if (owned is ulong found)
                return found;
        }
        return Start(scope, clusterId, known, now);
    }

    /// <summary>
    /// as_mysql_job_complete (wire spec §10.2). A job that never started (no start and no end time) is ignored;
    /// an end time of 0 becomes the start time. An exit code of exactly 1 was set by Slurm, not a signal: 256.
    /// </summary>
    public void Complete(SqlScope scope, uint clusterId, JobCompleteMessage message, long now)
    {
        if (Completion(clusterId, message, now) is not { } completion)
            return;
        rollupRewind.Rewind(scope, clusterId, completion.EndTime);
        // The row is nearly always there under its identity, which Resolve looks at first: one statement then
        // (the driver counts matched rows, not changed ones).
        if (completion.ByIdentity.Execute(scope) > 0)
            return;
        ulong index = Resolve(scope, clusterId, message.DbIndex, new JobStartMessage
        {
            AssocId = message.AssocId,
            JobId = message.JobId,
            JobState = message.JobState,
            Nodes = message.Nodes,
            StartTime = message.StartTime,
            SubmitTime = message.SubmitTime,
            TresAllocString = message.TresAllocString,
        }, now);
        var parameters = new DynamicParameters(completion.ByIdentity.Parameters);
        parameters.Add("Index", index);
        scope.Connection.Execute($"UPDATE job SET {CompletionSet} WHERE job_db_inx = @Index", parameters, scope.Transaction);
    }

    /// <summary>
    /// What <see cref="Complete"/> writes: the update of the row of the job's identity, and the end time the
    /// rollup is rewound to first. Null for a job that never started (no start and no end time): nothing is written.
    /// </summary>
    public JobCompletion? Completion(uint clusterId, JobCompleteMessage message, long now)
    {
        long endTime = message.EndTime;
        uint state;
        if ((message.JobState & FlagResizing) != 0)
            state = FlagResizing;
        else
        {
            if (endTime == 0)
            {
                if (message.StartTime == 0)
                    return null;
                endTime = message.StartTime;
            }
            state = (message.JobState & FlagRequeue) != 0 ? FlagRequeue
                : (message.JobState & FlagRevoked) != 0 ? FlagRevoked
                : message.JobState & StateBase;
        }
        var completion = new
        {
            Now = now, EndTime = endTime, State = state, DerivedEc = message.DerivedExitCode,
            TresAlloc = message.TresAllocString, message.Comment, message.AdminComment, message.SystemComment,
            ExitCode = message.ExitCode == 1 ? 256u : message.ExitCode,
            KillRequid = message.RequestingUid == SlurmValues.Infinite ? (uint?)null : message.RequestingUid,
            ClusterId = clusterId, message.JobId, message.SubmitTime,
        };
        return new JobCompletion(new Statement(
            $"UPDATE job SET {CompletionSet} WHERE cluster_id = @ClusterId AND id_job = @JobId AND time_submit = @SubmitTime",
            completion), endTime);
    }

    private const string CompletionSet = """
        mod_time = @Now, time_end = @EndTime, state = @State,
            derived_ec = IF(@DerivedEc = 4294967294, derived_ec, @DerivedEc),
            tres_alloc = COALESCE(@TresAlloc, tres_alloc), derived_es = COALESCE(@Comment, derived_es),
            admin_comment = COALESCE(@AdminComment, admin_comment), system_comment = COALESCE(@SystemComment, system_comment),
            exit_code = @ExitCode, kill_requid = @KillRequid
        """;

    /// <summary>
    /// as_mysql_suspend: time_suspended toggles (suspend time minus the stored value) on the job and its running
    /// steps, and a suspend interval opens or closes. A repeated message (a re-sent queue) changes nothing:
    /// the interval it would open already exists, or there is no open one to close.
    /// </summary>
    public void Suspend(SqlScope scope, uint clusterId, JobSuspendMessage message, long now)
    {
        ulong index = Resolve(scope, clusterId, message.DbIndex, new JobStartMessage
        {
            AssocId = message.AssocId,
            JobId = message.JobId,
            JobState = message.JobState,
            SubmitTime = message.SubmitTime,
        }, now);
        bool suspending = (message.JobState & StateBase) == StateSuspended;
        var interval = new { Index = index, ClusterId = clusterId, message.AssocId, Time = message.SuspendTime };
        int changed = suspending
            ? scope.Connection.Execute("""
                INSERT IGNORE INTO suspend (job_db_inx, cluster_id, id_assoc, time_start, time_end)
                VALUES (@Index, @ClusterId, @AssocId, @Time, 0)
                """, interval, scope.Transaction)
            : scope.Connection.Execute("UPDATE suspend SET time_end = @Time WHERE job_db_inx = @Index AND time_end = 0",
                interval, scope.Transaction);
        if (changed == 0)
            return;
        // Suspended time is taken off the CPU time of the hours it falls in.
        rollupRewind.Rewind(scope, clusterId, message.SuspendTime);
        var toggle = new { Index = index, Time = message.SuspendTime, State = message.JobState & StateBase, FullState = message.JobState };
        scope.Connection.Execute("UPDATE job SET time_suspended = @Time - time_suspended, state = @State WHERE job_db_inx = @Index",
            toggle, scope.Transaction);
        scope.Connection.Execute("""
            UPDATE step SET time_suspended = @Time - time_suspended, state = @FullState
            WHERE job_db_inx = @Index AND time_end = 0
            """, toggle, scope.Transaction);
    }

    /// <summary>
    /// as_mysql_flush_jobs_on_cluster (wire spec §9.9): every unfinished job of the cluster and its unfinished
    /// steps end CANCELLED at event_time; open suspend intervals close.
    /// </summary>
    public void FlushCluster(SqlScope scope, uint clusterId, long eventTime)
    {
        var parameters = new { ClusterId = clusterId, EventTime = eventTime, Cancelled = StateCancelled, Suspended = StateSuspended };
        scope.Connection.Execute("""
            UPDATE suspend s JOIN job j ON j.job_db_inx = s.job_db_inx
            SET s.time_end = @EventTime
            WHERE j.cluster_id = @ClusterId AND j.time_end = 0 AND j.state = @Suspended AND s.time_end = 0
            """, parameters, scope.Transaction);
        scope.Connection.Execute("""
            UPDATE step s JOIN job j ON j.job_db_inx = s.job_db_inx
            SET s.state = @Cancelled, s.time_end = @EventTime
            WHERE j.cluster_id = @ClusterId AND j.time_end = 0 AND s.time_end = 0
            """, parameters, scope.Transaction);
        scope.Connection.Execute("""
            UPDATE job SET state = @Cancelled, time_end = @EventTime,
                time_suspended = IF(state = @Suspended, @EventTime - time_suspended, time_suspended)
            WHERE cluster_id = @ClusterId AND time_end = 0
            """, parameters, scope.Transaction);
    }

    /// <summary>
    /// as_mysql_fix_runaway_jobs: the still open rows of these job ids end COMPLETE at the latest of their
    /// start, eligible and submit times. Then, as _first_job_roll_up, the cluster's rollup marks move to
    /// <paramref name="rollupRestart"/> and the association and wckey usage from there on is deleted, for the
    /// rollup to recompute it with the fixed jobs (usage that only runaway jobs made would otherwise stay).
    /// </summary>
    public void FixRunaway(SqlScope scope, uint clusterId, IReadOnlyList<uint> jobIds, long rollupRestart)
    {
        var parameters = new { ClusterId = clusterId, Complete = StateComplete, JobIds = jobIds, Restart = rollupRestart };
        scope.Connection.Execute("""
            UPDATE job SET time_end = GREATEST(time_start, time_eligible, time_submit), state = @Complete
            WHERE cluster_id = @ClusterId AND time_end = 0 AND id_job IN @JobIds
            """, parameters, scope.Transaction);
        scope.Connection.Execute("""
            UPDATE last_ran SET hourly_rollup = @Restart, daily_rollup = @Restart, monthly_rollup = @Restart
            WHERE cluster_id = @ClusterId
            """, parameters, scope.Transaction);
        foreach (string table in new[] { "assoc_usage_hour", "assoc_usage_day", "assoc_usage_month", "wckey_usage_hour", "wckey_usage_day", "wckey_usage_month" })
            scope.Connection.Execute($"DELETE FROM {table} WHERE cluster_id = @ClusterId AND time_start >= @Restart", parameters, scope.Transaction);
    }

    /// <summary>
    /// _first_job_roll_up's restart point: local midnight of the last day of the month before the one of
    /// <paramref name="firstSubmit"/> (mktime with tm_mday = 0).
    /// </summary>
    public static long RollupRestart(long firstSubmit, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(firstSubmit), zone);
        var day = new DateTime(local.Year, local.Month, 1).AddDays(-1);
        return new DateTimeOffset(day, zone.GetUtcOffset(day)).ToUnixTimeSeconds();
    }

    /// <summary>as_mysql_job_heavy: the environment and script for their hashes (wire spec §9.5.3).</summary>
    public void StoreHeavy(SqlScope scope, uint clusterId, JobHeavyMessage message, long now)
    {
        if (message.EnvHash is { } envHash && message.Env is not null)
            StoreBlob(scope, clusterId, "job_env", "env_hash", "env_vars", envHash, message.Env, now);
        if (message.ScriptHash is { } scriptHash && message.Script is not null)
            StoreBlob(scope, clusterId, "job_script", "script_hash", "batch_script", scriptHash, message.Script, now);
    }

    /// <summary>
    /// _get_hash_inx: the row of a controller hash ("2:hex"), created empty when new. Table and column names
    /// are constants of this class, never input.
    /// </summary>
    private static ulong HashIndex(SqlScope scope, uint clusterId, string table, string column, string? hash, long now)
    {
        if (string.IsNullOrEmpty(hash))
            return 0;
        return scope.Connection.ExecuteScalar<ulong>($"""
            INSERT INTO {table} (cluster_id, last_used, {column}) VALUES (@ClusterId, @Now, @Hash)
            ON DUPLICATE KEY UPDATE hash_inx = LAST_INSERT_ID(hash_inx), last_used = @Now;
            SELECT LAST_INSERT_ID()
            """, new { ClusterId = clusterId, Now = now, Hash = hash }, scope.Transaction);
    }

    private static void StoreBlob(SqlScope scope, uint clusterId, string table, string hashColumn, string blobColumn,
        string hash, string content, long now) =>
        scope.Connection.Execute($"""
            INSERT INTO {table} (cluster_id, last_used, {hashColumn}, {blobColumn}) VALUES (@ClusterId, @Now, @Hash, @Content)
            ON DUPLICATE KEY UPDATE {blobColumn} = @Content, last_used = @Now
            """, new { ClusterId = clusterId, Now = now, Hash = hash, Content = System.Text.Encoding.UTF8.GetBytes(content) },
            scope.Transaction);
}
