namespace Accounting.Dbd.Configuration;

/// <summary>PrivateData bits, with slurm.h's PRIVATE_DATA_* values (slurm_conf.private_data).</summary>
[Flags]
public enum PrivateData : ushort
{
    None = 0,
    Jobs = 0x0001,
    Nodes = 0x0002,
    Partitions = 0x0004,
    Usage = 0x0008,
    Users = 0x0010,
    Accounts = 0x0020,
    Reservations = 0x0040,
    /// <summary>PRIVATE_CLOUD_NODES: no slurmdbd.conf word sets it alone, but "all" does.</summary>
    CloudNodes = 0x0080,
    Events = 0x0100,
    /// <summary>"all" sets every bit of the 16-bit field, as Slurm does (0xffff).</summary>
    All = 0xFFFF,
}

/// <summary>How slurmdbd 22.05 reads and prints the PrivateData list.</summary>
internal static class PrivateDataNames
{
    // Slurm looks for these fragments anywhere in the value, so "account",
    // "accounts" and "Accounting" all mean Accounts; "all" wins over everything.
    private static readonly (string Fragment, PrivateData Bits)[] Fragments =
    [
        ("account", PrivateData.Accounts),
        ("job", PrivateData.Jobs),
        ("event", PrivateData.Events),
        ("node", PrivateData.Nodes),
        ("partition", PrivateData.Partitions),
        ("reservation", PrivateData.Reservations),
        ("usage", PrivateData.Usage),
        ("user", PrivateData.Users),
        ("all", PrivateData.All),
    ];

    // private_data_string's words and order; "cloud" is the one bit no slurmdbd.conf word sets alone.
    private static readonly (PrivateData Bit, string Word)[] PrintedWords =
    [
        (PrivateData.Accounts, "accounts"),
        (PrivateData.CloudNodes, "cloud"),
        (PrivateData.Events, "events"),
        (PrivateData.Jobs, "jobs"),
        (PrivateData.Nodes, "nodes"),
        (PrivateData.Partitions, "partitions"),
        (PrivateData.Reservations, "reservations"),
        (PrivateData.Usage, "usage"),
        (PrivateData.Users, "users"),
    ];

    /// <summary>Parses a comma separated list; words Slurm would silently skip are returned in <paramref name="ignored"/>.</summary>
    public static PrivateData Parse(string value, out IReadOnlyList<string> ignored)
    {
        var result = PrivateData.None;
        var skipped = new List<string>();
        foreach (string word in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bits = Fragments
                .Where(f => word.Contains(f.Fragment, StringComparison.OrdinalIgnoreCase))
                .Aggregate(PrivateData.None, (sum, f) => sum | f.Bits);
            if (bits == PrivateData.None)
                skipped.Add(word);
            result |= bits;
        }

        ignored = skipped;
        return result;
    }

    /// <summary>private_data_string: the set bits as comma separated words, or "none".</summary>
    public static string ToSlurmString(PrivateData bits)
    {
        var words = PrintedWords.Where(w => bits.HasFlag(w.Bit)).Select(w => w.Word).ToList();
        return words.Count == 0 ? "none" : string.Join(",", words);
    }
}
