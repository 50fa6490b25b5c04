using System.Collections;

namespace Accounting.Dbd.Rollup;

/// <summary>What kind of time a TRES-seconds figure adds to (as_mysql_rollup.c TIME_ALLOC .. TIME_RESV).</summary>
public enum UsageKind
{
    Allocated,
    Down,
    PlannedDown,
    Reserved,
}

/// <summary>
/// One TRES of a cluster, reservation, job or association within the hour being rolled up
/// (local_tres_usage_t). Unsigned like the reference, so its wrap-arounds and clamps behave the same.
/// </summary>
public sealed class TresUsage(uint id)
{
    public uint Id { get; } = id;
    public ulong Count { get; set; }
    public ulong TimeAlloc { get; set; }
    public ulong TimeDown { get; set; }
    public ulong TimePlannedDown { get; set; }
    public ulong TimeReserved { get; set; }
    public ulong TimeIdle { get; set; }
    public ulong TimeOver { get; set; }
    public ulong TotalTime { get; set; }
}

/// <summary>
/// TRES usages in the order first seen, with the list operations of as_mysql_rollup.c. The lists are a
/// handful of TRES long, so a linear search is what the reference does and is enough.
/// </summary>
public sealed class TresUsageList : IEnumerable<TresUsage>
{
    public const uint TresCpu = 1;
    public const uint TresEnergy = 3;
    public const uint TresNode = 4;
    public const ulong NoVal64 = 0xfffffffffffffffe;

    private readonly List<TresUsage> _items = [];

    public int Count => _items.Count;

    public TresUsage? Find(uint id) => _items.Find(usage => usage.Id == id);

    private TresUsage GetOrAdd(uint id)
    {
        if (Find(id) is { } found)
            return found;
        var usage = new TresUsage(id);
        _items.Add(usage);
        return usage;
    }

    /// <summary>
    /// _add_time_tres: a time of 0 or NO_VAL64 (energy that was not gathered) is nothing. With
    /// <paramref name="timesCount"/> the time is per unit of a TRES already in the list and is multiplied
    /// by its count; otherwise a TRES not yet in the list is added.
    /// </summary>
    public TresUsage? AddTime(UsageKind kind, uint id, ulong time, bool timesCount)
    {
        if (time == 0 || time == NoVal64)
            return null;
        var usage = Find(id);
        if (usage is null)
        {
            if (timesCount)
                return null;
            usage = new TresUsage(id);
            _items.Add(usage);
        }
        if (timesCount)
        {
            if (usage.Count == 0)
                return null;
            time *= usage.Count;
        }
        switch (kind)
        {
            case UsageKind.Allocated: usage.TimeAlloc += time; break;
            case UsageKind.Down: usage.TimeDown += time; break;
            case UsageKind.PlannedDown: usage.TimePlannedDown += time; break;
            case UsageKind.Reserved: usage.TimeReserved += time; break;
        }
        return usage;
    }

    /// <summary>_add_time_tres_list: each TRES of <paramref name="source"/>, for <paramref name="time"/> or (0) its total time.</summary>
    public void AddTimes(TresUsageList source, UsageKind kind, ulong time, bool timesCount)
    {
        foreach (var usage in source)
            AddTime(kind, usage.Id, time != 0 ? time : usage.TotalTime, timesCount);
    }

    /// <summary>
    /// _add_tres_2_list: the counts of a registration or reservation TRES string, their total time growing by
    /// count × seconds; the latest count wins. The node TRES is left out: nodes are shared on many
    /// systems, so cluster totals for it would almost always be over-committed.
    /// </summary>
    public void AddCounts(string? tres, long seconds)
    {
        foreach (var (id, count) in TresString.Pairs(tres))
        {
            if (id == TresNode)
                continue;
            var usage = GetOrAdd(id);
            usage.Count = count;
            usage.TotalTime += unchecked((ulong)seconds * usage.Count);
        }
    }

    /// <summary>
    /// _add_tres_time_2_list: count × seconds of each TRES of a job or node string. Suspended seconds are
    /// taken off the CPU TRES only (the other TRES stay held while a job is suspended); energy is already a
    /// total for the whole job and is not multiplied by time.
    /// </summary>
    public void AddTresTime(string? tres, UsageKind kind, long seconds, long suspendSeconds, bool timesCount)
    {
        foreach (var (id, count) in TresString.Pairs(tres))
        {
            long localSeconds = seconds;
            if (suspendSeconds != 0 && id == TresCpu)
            {
                localSeconds -= suspendSeconds;
                if (localSeconds < 1)
                    localSeconds = 0;
            }
            ulong time = id == TresEnergy ? count : unchecked(count * (ulong)localSeconds);
            var usage = AddTime(kind, id, time, timesCount);
            if (usage is not null && usage.Count == 0)
                usage.Count = count;
        }
    }

    /// <summary>
    /// What <paramref name="jobs"/> calls of AddTresTime(tres, Allocated, s, 0, false) add, the s summing to
    /// <paramref name="seconds"/>, when no product reaches NO_VAL64 (<see cref="HourlyUsage.SumsExactly"/>).
    /// </summary>
    public void AddTresTimeOfJobs(string tres, long seconds, long jobs)
    {
        foreach (var (id, count) in TresString.Pairs(tres))
        {
            // Energy is per job, and a job whose energy was not gathered adds none.
            ulong time = id != TresEnergy ? count * (ulong)seconds : count == NoVal64 ? 0 : count * (ulong)jobs;
            var usage = AddTime(UsageKind.Allocated, id, time, false);
            if (usage is not null && usage.Count == 0)
                usage.Count = count;
        }
    }

    /// <summary>
    /// _remove_job_tres_time_from_cluster: the total time of this list shrinks by count × seconds of the
    /// same TRES in <paramref name="other"/>, never below 0.
    /// </summary>
    public void RemoveTime(TresUsageList other, long seconds)
    {
        if (seconds <= 0 || Count == 0 || other.Count == 0)
            return;
        foreach (var usage in _items)
        {
            if (other.Find(usage.Id) is not { } taken)
                continue;
            ulong time = unchecked((ulong)seconds * taken.Count);
            usage.TotalTime = time >= usage.TotalTime ? 0 : usage.TotalTime - time;
        }
    }

    /// <summary>_add_job_alloc_time_to_cluster: a job's allocated time, for the TRES this (cluster) list has.</summary>
    public void AddAllocatedOf(TresUsageList job)
    {
        foreach (var usage in _items)
            if (job.Find(usage.Id) is { } jobUsage)
                usage.TimeAlloc += jobUsage.TimeAlloc;
    }

    /// <summary>_add_job_alloc_time_to_assoc: another list's allocated time merged into this one, TRES by TRES.</summary>
    public void Absorb(TresUsageList other)
    {
        foreach (var usage in other._items)
        {
            if (Find(usage.Id) is { } own)
                own.TimeAlloc += usage.TimeAlloc;
            else
                _items.Add(usage);
        }
        other._items.Clear();
    }

    public IEnumerator<TresUsage> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>TRES strings as the rollup reads them ("1=4,2=1000,4=1"), with atoi/strtoull's leniency.</summary>
public static class TresString
{
    private static readonly (uint Id, ulong Count)[] None = [];

    /// <summary>
    /// Parsed strings; a cluster's jobs use few distinct TRES strings, and the rollup parses each job's once
    /// or twice an hour. Bounded so odd input cannot grow it without end.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (uint Id, ulong Count)[]> Parsed = new();

    private const int MaxParsed = 10_000;

    /// <summary>The (id, count) pairs up to the first entry without a positive id or an '='.</summary>
    public static (uint Id, ulong Count)[] Pairs(string? tres)
    {
        if (string.IsNullOrEmpty(tres))
            return None;
        if (Parsed.TryGetValue(tres, out var pairs))
            return pairs;
        pairs = Parse(tres);
        if (Parsed.Count < MaxParsed)
            Parsed.TryAdd(tres, pairs);
        return pairs;
    }

    private static (uint Id, ulong Count)[] Parse(string tres)
    {
        var pairs = new List<(uint, ulong)>();
        foreach (string entry in tres.Split(','))
        {
            int equals = entry.IndexOf('=');
            long id = LeadingNumber(equals < 0 ? entry : entry[..equals]);
            if (id < 1 || equals < 0)
                break;
            pairs.Add(((uint)id, (ulong)LeadingNumber(entry[(equals + 1)..])));
        }
        return pairs.ToArray();
    }

    private static long LeadingNumber(string text)
    {
        text = text.TrimStart();
        int length = 0;
        while (length < text.Length && char.IsAsciiDigit(text[length]))
            length++;
        return length == 0 ? 0 : long.TryParse(text.AsSpan(0, length), out long value) ? value : long.MaxValue;
    }
}
