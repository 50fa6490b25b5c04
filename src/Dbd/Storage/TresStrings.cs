namespace Accounting.Dbd.Storage;

/// <summary>Simple TRES strings ("1=4,2=8192"), as limits are stored and sent (records spec §2.6).</summary>
public static class TresStrings
{
    /// <summary>Concatenates the limits of one more level, as the reference's get_parent_limits does.</summary>
    public static string Append(string accumulated, string level) =>
        accumulated.Length == 0 ? level : level.Length == 0 ? accumulated : accumulated + "," + level;

    /// <summary>
    /// slurmdb_combine_tres_strings with TRES_STR_FLAG_SORT_ID: the association's own limits, then the
    /// inherited ones, first value per TRES id kept, sorted by id; NULL when there are none.
    /// </summary>
    public static string? Combine(string own, string inherited)
    {
        var byId = new SortedDictionary<uint, string>();
        foreach (string entry in Append(own, inherited).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = entry.IndexOf('=');
            if (equals > 0 && uint.TryParse(entry.AsSpan(0, equals), out uint id))
                byId.TryAdd(id, entry[(equals + 1)..]);
        }
        return byId.Count == 0 ? null : string.Join(",", byId.Select(pair => $"{pair.Key}={pair.Value}"));
    }

    /// <summary>
    /// mod_tres_str (TRES_STR_FLAG_REMOVE | SORT_ID | SIMPLE | NO_NULL): a modify's TRES values replace
    /// the current ones per TRES id, INFINITE64 (sacctmgr's "-1") removes that TRES; the result sorted by
    /// id, "" when empty.
    /// </summary>
    public static string Merge(string current, string changes)
    {
        var byId = new SortedDictionary<uint, string>();
        foreach (var (id, value) in Entries(current))
            byId[id] = value;
        foreach (var (id, value) in Entries(changes))
        {
            if (value is "-1" or "18446744073709551615")
                byId.Remove(id);
            else
                byId[id] = value;
        }
        return string.Join(",", byId.Select(pair => $"{pair.Key}={pair.Value}"));
    }

    private static IEnumerable<(uint Id, string Value)> Entries(string tres)
    {
        foreach (string entry in tres.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = entry.IndexOf('=');
            if (equals > 0 && uint.TryParse(entry.AsSpan(0, equals), out uint id))
                yield return (id, entry[(equals + 1)..]);
        }
    }
}
