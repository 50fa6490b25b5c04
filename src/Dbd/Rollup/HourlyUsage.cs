using Accounting.Dbd.Storage;

namespace Accounting.Dbd.Rollup;

/// <summary>
/// The arithmetic of one hour of one cluster, as as_mysql_hourly_rollup (records spec §10.2) does it, on
/// rows already read: registrations give the TRES totals, node events down and planned-down time,
/// reservations count as allocated (maintenance: planned down) and split their unused time over their
/// associations, jobs give allocated time to the cluster and their association and wckey, and waiting
/// eligible jobs give reserved (plan) CPU time; idle is what is left, over-commit what is more than all.
/// The order of the steps and the odd corners (the last reservation's seconds taken off a node event,
/// a whole reservation's count charged per job in it) are kept, because sreport must print the same.
/// </summary>
public static class HourlyUsage
{
    private const ushort NodeStateBase = 0x000f;
    private const ushort NodeStateFuture = 6;
    private const ushort NodeStateCloud = 0x0080;
    private const ushort NodeStatePoweredDown = 0x1000;
    public const uint NodeStateMaintenance = 0x8000;
    public const ulong ReserveFlagMaintenance = 0x1;
    public const ulong ReserveFlagIgnoreJobs = 0x40;

    /// <summary>local_cluster_usage_t: a registration period (or a period the controller was unreachable).</summary>
    private sealed class ClusterPeriod(long start)
    {
        public long Start { get; } = start;
        public long End { get; set; }
        public TresUsageList Tres { get; } = new();
    }

    /// <summary>local_resv_usage_t.</summary>
    private sealed class ReservationUsage
    {
        public required uint Id { get; init; }
        public required ulong Flags { get; init; }
        public required HashSet<string> Nodes { get; init; }
        public required List<uint> Assocs { get; init; }
        public required long OriginalStart { get; init; }
        public required long Start { get; init; }
        public required long End { get; init; }
        public TresUsageList Tres { get; } = new();
        public double UnusedWall { get; set; }
    }

    /// <summary>local_id_usage_t: an association or wckey; its TRES list appears with its first job.</summary>
    private sealed class IdUsage(uint id)
    {
        public uint Id { get; } = id;
        public TresUsageList? Tres { get; set; }

        /// <summary>_transfer_loc_tres.</summary>
        public static void Transfer(TresUsageList job, IdUsage? usage)
        {
            if (usage is null)
                return;
            if (usage.Tres is null)
                usage.Tres = job;
            else
                usage.Tres.Absorb(job);
        }
    }

    public static HourUsage Compute(HourInputs hour)
    {
        long currStart = hour.Start, currEnd = hour.End;
        var reservations = SetUpReservations(hour);
        var downPeriods = new List<ClusterPeriod>();
        var cluster = SetUpCluster(hour, reservations, downPeriods);

        var assocs = new List<IdUsage>();
        var wckeys = new List<IdUsage>();
        IdUsage? assoc = null, wckey = null;
        long lastId = -1, lastWckeyId = -1;

        // The association and wckey a job that ran in the hour charges; later jobs that did not run keep them.
        void Select(uint assocId, uint wckeyId)
        {
            if (lastId != assocId)
            {
                assoc = new IdUsage(assocId);
                assocs.Add(assoc);
                lastId = assocId;
            }
            if (!hour.TrackWckey)
                lastWckeyId = wckeyId;
            if (lastWckeyId != wckeyId)
            {
                wckey = wckeys.Find(usage => usage.Id == wckeyId);
                if (wckey is null)
                {
                    wckey = new IdUsage(wckeyId) { Tres = new TresUsageList() };
                    wckeys.Add(wckey);
                }
                lastWckeyId = wckeyId;
            }
        }

        // Each association's job groups come before its single jobs. Their order among the association's jobs
        // does not change a sum, and SumsExactly rules out the one thing it could change: a single job that
        // did not run charging its energy to the association of the job before it.
        int nextGroup = 0;
        void AddGroupsUpTo(long assocId)
        {
            for (; nextGroup < hour.JobGroups.Count && hour.JobGroups[nextGroup].AssocId <= assocId; nextGroup++)
            {
                var group = hour.JobGroups[nextGroup];
                Select(group.AssocId, group.WckeyId);
                var groupTres = new TresUsageList();
                groupTres.AddTresTimeOfJobs(group.Tres, group.Seconds, group.Jobs);
                wckey?.Tres!.AddTresTimeOfJobs(group.Tres, group.Seconds, group.Jobs);
                if (cluster is not null)
                {
                    cluster.Tres.AddAllocatedOf(groupTres);
                    cluster.Tres.AddTime(UsageKind.Reserved, TresUsageList.TresCpu, group.ReservedCpuSeconds, false);
                }
                IdUsage.Transfer(groupTres, assoc);
            }
        }

        foreach (var job in hour.Jobs)
        {
            AddGroupsUpTo(job.AssocId);
            long rowStart = job.Start, rowEnd = job.End;
            long seconds = 0, suspendSeconds = 0;
            if (rowStart != 0 && rowStart < currStart)
                rowStart = currStart;
            if (rowStart == 0 && rowEnd != 0)
                rowStart = rowEnd;
            if (rowEnd == 0 || rowEnd > currEnd)
                rowEnd = currEnd;

            // A job that did not run in the hour (pending, or ended before it started) only counts its
            // waiting time, against whatever association and wckey the previous job left selected.
            if (rowStart != 0 && rowEnd - rowStart >= 1)
            {
                seconds = rowEnd - rowStart;
                if (job.Suspended != 0 && hour.Suspends.TryGetValue(job.DbIndex, out var intervals))
                    suspendSeconds = SuspendedSeconds(intervals, rowStart, rowEnd);
                Select(job.AssocId, job.WckeyId);
            }

            var jobTres = new TresUsageList();
            jobTres.AddTresTime(job.Tres, UsageKind.Allocated, seconds, suspendSeconds, false);
            wckey?.Tres!.AddTresTime(job.Tres, UsageKind.Allocated, seconds, suspendSeconds, false);

            // Time the controller was unreachable while the job ran is not down time.
            foreach (var down in downPeriods)
                down.Tres.RemoveTime(jobTres, Overlap(down.Start, down.End, rowStart, rowEnd));

            if (job.ResvId != 0)
            {
                // The whole reservation already counts as allocated; the job only uses some of it up.
                if (seconds > 0)
                    foreach (var resv in reservations.Where(r => r.Id == job.ResvId))
                    {
                        long inResv = Overlap(resv.Start, resv.End, rowStart, rowEnd);
                        if (inResv <= 0)
                            continue;
                        if (cluster is not null && (resv.Flags & ReserveFlagIgnoreJobs) != 0)
                            cluster.Tres.AddTresTime(job.Tres, UsageKind.Allocated, inResv, 0, false);
                        resv.Tres.AddTimes(jobTres, UsageKind.Allocated, (ulong)inResv, true);
                        UpdateUnusedWall(resv, jobTres, inResv);
                    }
                IdUsage.Transfer(jobTres, assoc);
                continue;
            }

            if (cluster is null)
            {
                IdUsage.Transfer(jobTres, assoc);
                continue;
            }
            if (rowStart != 0 && seconds > 0)
                cluster.Tres.AddAllocatedOf(jobTres);
            IdUsage.Transfer(jobTres, assoc);

            // Reserved (plan) time: eligible but not yet started, in CPUs requested.
            if (rowStart == 0 || rowStart >= cluster.Start)
            {
                long waitEnd = rowStart, waitStart = job.Eligible;
                if (cluster.Start > waitStart)
                    waitStart = cluster.Start;
                if (waitEnd == 0 || cluster.End < waitEnd)
                    waitEnd = cluster.End;
                long waiting = waitEnd - waitStart;
                if (waiting > 0)
                {
                    // Pending tasks of an array are not job rows yet.
                    if (job.ArrayTaskPending != 0)
                        waiting *= job.ArrayTaskPending;
                    cluster.Tres.AddTime(UsageKind.Reserved, TresUsageList.TresCpu, unchecked((ulong)waiting * job.CpusReq), false);
                }
            }
        }

        AddGroupsUpTo(long.MaxValue);

        SpreadUnusedReservationTime(reservations, assocs, ref assoc, ref lastId);

        var clusterRows = new List<ClusterTresUsage>();
        if (cluster is not null)
        {
            foreach (var down in downPeriods)
                foreach (var usage in down.Tres)
                    cluster.Tres.AddTime(UsageKind.Down, usage.Id, usage.TotalTime, false);
            foreach (var usage in cluster.Tres)
                clusterRows.Add(Balance(usage));
        }
        return new HourUsage(
            clusterRows,
            Rows(assocs),
            hour.TrackWckey ? Rows(wckeys) : [],
            reservations.Select(r => new ReservationUnusedWall(r.Id, r.OriginalStart, r.UnusedWall)).ToList());
    }

    /// <summary>
    /// Whether the jobs of the hour may be read as <see cref="JobGroup"/>s, and the registered span their
    /// reserved time is counted in ((0, 0) when the cluster was not registered in the hour). Summing jobs
    /// gives the same rows as taking them one by one only when no job's time depends on anything but its
    /// own start, end and eligible time: not while the controller was unreachable (a job's time comes off
    /// that period) and not with an IGNORE_JOBS reservation or a registration without CPUs (a job could add
    /// a TRES to the cluster's list, which decides what later jobs count).
    /// </summary>
    public static (long Start, long End)? GroupableSpan(HourInputs hour)
    {
        var reservations = SetUpReservations(hour);
        var downPeriods = new List<ClusterPeriod>();
        var cluster = SetUpCluster(hour, reservations, downPeriods);
        if (downPeriods.Count != 0 || reservations.Any(resv => (resv.Flags & ReserveFlagIgnoreJobs) != 0))
            return null;
        if (cluster is null)
            return (0, 0);
        return cluster.Tres.Find(TresUsageList.TresCpu) is null ? null : (cluster.Start, cluster.End);
    }

    /// <summary>
    /// Whether a group adds what its jobs one by one would: each job's TRES time is skipped when it is 0 or
    /// NO_VAL64, so no product of the group may reach NO_VAL64 (then none of its jobs' do either). Jobs
    /// left single must not carry energy into the association or wckey of a job before them (a job that
    /// did not run in the hour charges its energy there), because groups move in that order.
    /// </summary>
    public static bool SumsExactly(IReadOnlyList<JobGroup> groups, IReadOnlyList<JobSpan> singles)
    {
        foreach (var group in groups)
        {
            if (group.ReservedCpuSeconds >= TresUsageList.NoVal64)
                return false;
            foreach (var (id, count) in TresString.Pairs(group.Tres))
                if (!(id == TresUsageList.TresEnergy && count == TresUsageList.NoVal64)
                    && (UInt128)count * (ulong)(id == TresUsageList.TresEnergy ? group.Jobs : group.Seconds) >= TresUsageList.NoVal64)
                    return false;
        }
        return !singles.Any(job => TresString.Pairs(job.Tres).Any(pair =>
            pair.Id == TresUsageList.TresEnergy && pair.Count != 0 && pair.Count != TresUsageList.NoVal64));
    }

    /// <summary>_setup_resv_usage.</summary>
    private static List<ReservationUsage> SetUpReservations(HourInputs hour)
    {
        var list = new List<ReservationUsage>();
        foreach (var row in hour.Reservations)
        {
            long rowStart = row.Start, rowEnd = row.End;
            // Seen for the first time in this hour (or re-rolled from its start): nothing unused yet. The
            // stored value is read as an integer, as slurm_atoul reads the column.
            long unused = rowStart >= hour.Start ? 0 : (long)Math.Truncate(row.UnusedWall);
            if (rowStart <= hour.Start)
                rowStart = hour.Start;
            if (rowEnd == 0 || rowEnd > hour.End)
                rowEnd = hour.End;
            long seconds = rowEnd - rowStart;
            if (seconds < 1)
                continue;
            var usage = new ReservationUsage
            {
                Id = row.Id,
                Flags = row.Flags,
                Assocs = AssociationIds(row.Assocs),
                Nodes = HostList.Expand(row.Nodes).ToHashSet(StringComparer.Ordinal),
                OriginalStart = row.Start,
                Start = rowStart,
                End = rowEnd,
                UnusedWall = unused + seconds,
            };
            usage.Tres.AddCounts(row.Tres, seconds);
            list.Add(usage);
        }
        return list;
    }

    /// <summary>
    /// slurm_addto_char_list of the assoclist: empty entries skipped, a repeated one moved to the end, and
    /// when nothing was found the whole (empty) string is the one entry. So a reservation open to everybody
    /// ('') gives its unused time to association id 0, as the reference does.
    /// </summary>
    private static List<uint> AssociationIds(string assocs)
    {
        var names = new List<string>();
        foreach (string name in assocs.Split(','))
        {
            if (name.Length == 0)
                continue;
            names.Remove(name);
            names.Add(name);
        }
        if (names.Count == 0)
            names.Add(assocs.Replace(",", ""));
        return names.Select(name => uint.TryParse(new string(name.TakeWhile(char.IsAsciiDigit).ToArray()), out uint id) ? id : 0).ToList();
    }

    /// <summary>_setup_cluster_usage: registrations, down nodes and the reservations' share of the cluster.</summary>
    private static ClusterPeriod? SetUpCluster(HourInputs hour, List<ReservationUsage> reservations, List<ClusterPeriod> downPeriods)
    {
        ClusterPeriod? cluster = null;
        foreach (var row in hour.Events)
        {
            long rowStart = Math.Max(row.Start, hour.Start);
            long rowEnd = row.End == 0 || row.End > hour.End ? hour.End : row.End;
            long seconds = rowEnd - rowStart;
            if (seconds < 1)
                continue;
            // The reference reads the state into 16 bits.
            ushort state = unchecked((ushort)row.State);

            if (row.NodeName.Length == 0)
            {
                // A registration. With a state it is a period the controller was down: kept apart so the
                // jobs and node events in it can be taken off. Otherwise the first one is the cluster, and
                // later ones in the hour add their TRES time (the last count wins).
                ClusterPeriod period;
                if (state != 0 || cluster is null)
                {
                    period = new ClusterPeriod(rowStart);
                    if (state != 0)
                        downPeriods.Add(period);
                    else
                        cluster = period;
                }
                else
                    period = cluster;
                period.End = rowEnd;
                period.Tres.AddCounts(row.Tres, seconds);
                continue;
            }

            if (cluster is null)
                continue;

            // A down node inside a reservation is down (maintenance: planned down) for the overlap and that
            // time is no longer the reservation's. Only the last matching reservation's seconds are taken
            // off the node's own down time below, as in the reference.
            long resvSeconds = 0;
            foreach (var resv in reservations)
            {
                if (!resv.Nodes.Contains(row.NodeName))
                    continue;
                resvSeconds = Overlap(resv.Start, resv.End, rowStart, rowEnd);
                if (resvSeconds < 1)
                    continue;
                var kind = (resv.Flags & ReserveFlagMaintenance) != 0 ? UsageKind.PlannedDown : UsageKind.Down;
                var nodeTres = new TresUsageList();
                nodeTres.AddTresTime(row.Tres, kind, resvSeconds, 0, false);
                cluster.Tres.AddTresTime(row.Tres, kind, resvSeconds, 0, false);
                resv.Tres.RemoveTime(nodeTres, resvSeconds);
            }

            long localStart = Math.Max(rowStart, cluster.Start);
            long localEnd = Math.Min(rowEnd, cluster.End);
            seconds = localEnd - localStart;
            if (seconds < 1)
                continue;
            seconds -= resvSeconds;
            if (seconds > 0)
            {
                bool planned = (state & NodeStateBase) == NodeStateFuture
                    || ((state & NodeStateCloud) != 0 && (state & NodeStatePoweredDown) != 0);
                cluster.Tres.AddTresTime(row.Tres, planned ? UsageKind.PlannedDown : UsageKind.Down, seconds, 0, false);
            }

            // A node that was down while the controller was unreachable is not counted twice.
            foreach (var down in downPeriods)
                down.Tres.RemoveTime(cluster.Tres, Overlap(down.Start, down.End, rowStart, rowEnd));
        }

        if (cluster is not null)
            foreach (var resv in reservations)
            {
                // IGNORE_JOBS: jobs outside it may run on its nodes, so its jobs are counted one by one instead.
                if ((resv.Flags & ReserveFlagIgnoreJobs) != 0)
                    continue;
                cluster.Tres.AddTimes(resv.Tres, (resv.Flags & ReserveFlagMaintenance) != 0 ? UsageKind.PlannedDown : UsageKind.Allocated, 0, false);
            }
        return cluster;
    }

    /// <summary>
    /// _update_unused_wall: the job's share of the reservation (by the first TRES both have) converts its
    /// seconds into reservation wall seconds used.
    /// </summary>
    private static void UpdateUnusedWall(ReservationUsage resv, TresUsageList job, long jobSeconds)
    {
        double ratio = 0;
        foreach (var usage in resv.Tres)
        {
            if (usage.Count == 0)
                continue;
            if (job.Find(usage.Id) is { } jobUsage)
            {
                ratio = (double)jobUsage.Count / usage.Count;
                break;
            }
        }
        resv.UnusedWall -= jobSeconds * ratio;
        // A Flex reservation can have more job time than wall time.
        if (resv.UnusedWall < 0)
            resv.UnusedWall = 0;
    }

    /// <summary>
    /// What jobs left unused of each reservation goes, split evenly, to the associations allowed in it
    /// (allocated time for sreport's per-account reports).
    /// </summary>
    private static void SpreadUnusedReservationTime(List<ReservationUsage> reservations, List<IdUsage> assocs, ref IdUsage? assoc, ref long lastId)
    {
        foreach (var resv in reservations)
        {
            foreach (var usage in resv.Tres)
            {
                long idle = unchecked((long)usage.TotalTime - (long)usage.TimeAlloc);
                // Every TRES of the reservation is in the same state.
                if (idle <= 0)
                    break;
                // The reference keeps the share in an int.
                int share = unchecked((int)idle);
                if (resv.Assocs.Count != 0)
                    share /= resv.Assocs.Count;
                foreach (uint id in resv.Assocs)
                {
                    if (lastId != id && (assoc = assocs.Find(a => a.Id == id)) is null)
                    {
                        assoc = new IdUsage(id) { Tres = new TresUsageList() };
                        assocs.Add(assoc);
                    }
                    lastId = id;
                    assoc!.Tres ??= new TresUsageList();
                    assoc.Tres.AddTime(UsageKind.Allocated, usage.Id, unchecked((ulong)(long)share), false);
                }
            }
        }
    }

    /// <summary>
    /// _setup_cluster_tres_usage: allocated, then down, then planned down are capped to what the cluster
    /// had; idle is the rest after reserved time, and when reserved time does not fit, the excess is
    /// over-committed time.
    /// </summary>
    private static ClusterTresUsage Balance(TresUsage usage)
    {
        if (usage.TotalTime != 0 && usage.TotalTime < usage.TimeAlloc)
            usage.TimeAlloc = usage.TotalTime;
        ulong used = usage.TimeAlloc + usage.TimeDown + usage.TimePlannedDown;
        if (usage.TotalTime != 0 && usage.TotalTime < used)
        {
            long over = unchecked((long)(usage.TotalTime - (usage.TimeAlloc + usage.TimeDown)));
            if (over < 0)
            {
                usage.TimeDown = unchecked(usage.TimeDown + (ulong)over);
                if ((long)usage.TimeDown < 0)
                    usage.TimeDown = 0;
            }
            over = unchecked((long)(usage.TotalTime - (usage.TimeAlloc + usage.TimeDown + usage.TimePlannedDown)));
            if (over < 0)
            {
                usage.TimePlannedDown = unchecked(usage.TimePlannedDown + (ulong)over);
                if ((long)usage.TimePlannedDown < 0)
                    usage.TimePlannedDown = 0;
            }
            used = usage.TimeAlloc + usage.TimeDown + usage.TimePlannedDown;
        }
        usage.TimeIdle = unchecked(usage.TotalTime - used - usage.TimeReserved);
        if ((long)usage.TimeIdle < 0)
        {
            usage.TimeReserved = unchecked(usage.TimeReserved + usage.TimeIdle);
            usage.TimeOver = unchecked(usage.TimeOver - usage.TimeIdle);
            usage.TimeIdle = 0;
            if ((long)usage.TimeReserved < 0)
                usage.TimeReserved = 0;
        }
        return new ClusterTresUsage(usage.Id, usage.Count, usage.TimeAlloc, usage.TimeDown, usage.TimePlannedDown,
            usage.TimeIdle, usage.TimeOver, usage.TimeReserved);
    }

    /// <summary>_create_id_usage_insert: an association or wckey without any TRES time writes nothing.</summary>
    private static List<IdTresUsage> Rows(List<IdUsage> usages) =>
        usages.Where(usage => usage.Tres is { Count: > 0 })
            .SelectMany(usage => usage.Tres!.Select(tres => new IdTresUsage(usage.Id, tres.Id, tres.TimeAlloc)))
            .ToList();

    /// <summary>The suspended seconds inside [start, end) of the job's hour.</summary>
    private static long SuspendedSeconds(List<SuspendSpan> intervals, long rowStart, long rowEnd)
    {
        long total = 0;
        foreach (var interval in intervals)
        {
            if (interval.Start == 0)
                continue;
            long localStart = Math.Max(rowStart, interval.Start);
            long localEnd = interval.End == 0 || rowEnd < interval.End ? rowEnd : interval.End;
            if (localEnd - localStart > 0)
                total += localEnd - localStart;
        }
        return total;
    }

    /// <summary>The seconds [max(starts), min(ends)); may be 0 or negative.</summary>
    private static long Overlap(long startA, long endA, long startB, long endB) => Math.Min(endA, endB) - Math.Max(startA, startB);
}
