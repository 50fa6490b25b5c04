namespace Accounting.Dbd.Rollup;

/// <summary>An event row overlapping the hour (node_name '' is a cluster registration), maintenance events excluded.</summary>
public sealed record EventSpan(string NodeName, long Start, long End, uint State, string Tres);

/// <summary>A reservation row overlapping the hour (resv table).</summary>
public sealed record ReservationSpan(uint Id, string Assocs, ulong Flags, string Nodes, string Tres, long Start, long End, double UnusedWall);

/// <summary>A job row eligible before the end of the hour and not ended before its start (job table).</summary>
public sealed record JobSpan(
    ulong DbIndex, uint AssocId, uint WckeyId, uint ArrayTaskPending, long Eligible, long Start, long End,
    long Suspended, uint CpusReq, uint ResvId, string Tres);

/// <summary>
/// The jobs of one association, wckey and TRES string that ran at least a second of the hour, were never
/// suspended, are not in a reservation and have no pending array tasks, summed by the database: how many,
/// their seconds in the hour, and their reserved (eligible but waiting) CPU seconds in the registered part
/// of the hour. For such jobs the hour's arithmetic is a sum, so one group stands for all of them.
/// </summary>
public sealed record JobGroup(uint AssocId, uint WckeyId, string Tres, long Jobs, long Seconds, ulong ReservedCpuSeconds);

/// <summary>A suspend interval of a job (suspend table); End 0 = still suspended.</summary>
public sealed record SuspendSpan(long Start, long End);

/// <summary>
/// Everything one hour of one cluster is computed from, in the reference's query orders: events by node
/// name then start, reservations by start, jobs by association then eligible time, job groups by
/// association (each association's groups count before its single jobs).
/// </summary>
public sealed record HourInputs(
    long Start,
    long End,
    IReadOnlyList<EventSpan> Events,
    IReadOnlyList<ReservationSpan> Reservations,
    IReadOnlyList<JobSpan> Jobs,
    IReadOnlyDictionary<ulong, List<SuspendSpan>> Suspends,
    bool TrackWckey)
{
    public IReadOnlyList<JobGroup> JobGroups { get; init; } = [];
}

/// <summary>A cluster usage row of the hour (cluster_usage_hour).</summary>
public sealed record ClusterTresUsage(uint TresId, ulong Count, ulong Alloc, ulong Down, ulong PlannedDown, ulong Idle, ulong Over, ulong Reserved);

/// <summary>An association or wckey usage row of the hour.</summary>
public sealed record IdTresUsage(uint Id, uint TresId, ulong Alloc);

/// <summary>The unused wall time to store on a reservation row, keyed by its id and original start.</summary>
public sealed record ReservationUnusedWall(uint Id, long Start, double UnusedWall);

/// <summary>The rows one hour produces. No cluster rows when the cluster was not registered in the hour.</summary>
public sealed record HourUsage(
    IReadOnlyList<ClusterTresUsage> Cluster,
    IReadOnlyList<IdTresUsage> Associations,
    IReadOnlyList<IdTresUsage> Wckeys,
    IReadOnlyList<ReservationUnusedWall> Reservations);
