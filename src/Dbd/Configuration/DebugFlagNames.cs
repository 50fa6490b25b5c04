namespace Accounting.Dbd.Configuration;

/// <summary>The DebugFlags names Slurm 22.05 accepts (debug_str2flags), mapped to one spelling each.</summary>
internal static class DebugFlagNames
{
    // The order debug_flags2str prints the flags in: mostly alphabetical, but not quite
    // (JobAccountGather follows Accrue, DB_TRES follows DB_Assoc, ...). Each name is one bit.
    private static readonly string[] InPrintOrder =
    [
        "Accrue", "JobAccountGather", "Agent", "Backfill", "BackfillMap", "BurstBuffer", "Cgroup",
        "CpuFrequency", "CPU_Bind", "Data", "DB_Archive", "DB_Assoc", "DB_TRES", "DB_Event",
        "DB_Job", "DB_QOS", "DB_Query", "DB_Reservation", "DB_Resource", "DB_Step", "DB_Usage",
        "DB_WCKey", "Dependency", "Elasticsearch", "Energy", "ExtSensors", "Federation",
        "FrontEnd", "Gang", "Gres", "Hetjob", "Interconnect", "JobContainer", "NodeFeatures",
        "License", "MPI", "Network", "NetworkRaw", "NO_CONF_HASH", "Power", "Priority", "Profile",
        "Protocol", "Reservation", "Route", "Script", "SelectType", "Steps", "Switch", "TimeCray",
        "TraceJobs", "Triggers", "WorkQueue",
    ];

    private static readonly Dictionary<string, string> Canonical = BuildCanonical();

    /// <summary>A flag that 22.05 still accepts but no longer acts on.</summary>
    public const string Removed = "Task";

    /// <summary>The canonical name for <paramref name="flag"/> (any case, aliases such as JAG or NetRaw allowed).</summary>
    public static bool TryCanonicalize(string flag, out string canonical) =>
        Canonical.TryGetValue(flag, out canonical!);

    /// <summary>debug_flags2str: the flags comma separated in Slurm's order, or null when there are none.</summary>
    public static string? ToSlurmString(IEnumerable<string> flags)
    {
        // Slurm holds flags as bits, so a name it does not know cannot be printed and an
        // alias given next to its canonical name is the same bit, printed once.
        var canonical = flags
            .Select(flag => TryCanonicalize(flag, out string name) ? name : null)
            .OfType<string>()
            .Distinct()
            .OrderBy(name => Array.IndexOf(InPrintOrder, name))
            .ToList();
        return canonical.Count == 0 ? null : string.Join(",", canonical);
    }

    private static Dictionary<string, string> BuildCanonical()
    {
        var canonical = InPrintOrder.ToDictionary(name => name, name => name, StringComparer.OrdinalIgnoreCase);
        canonical["JAG"] = "JobAccountGather";
        canonical["Net"] = "Network";
        canonical["NetRaw"] = "NetworkRaw";
        canonical["PowerSave"] = "Power";
        canonical["Trigger"] = "Triggers";
        canonical["WorkQ"] = "WorkQueue";
        return canonical;
    }
}
