namespace Accounting.Dbd.Configuration;

/// <summary>
/// The settings of one slurmdbd.conf after parse_config's per-line conversion: numbers and booleans
/// are checked on every line they appear on, and a repeated key keeps its latest value.
/// </summary>
internal sealed class SettingTable
{
    private readonly Dictionary<string, (object Value, ConfigLocation Location)> settings = [];

    public static SettingTable From(IEnumerable<ConfigEntry> entries, ICollection<string> warnings)
    {
        var table = new SettingTable();
        foreach (var entry in entries)
        {
            if (!SlurmdbdKeys.TryLookup(entry.Key, out string name, out ValueKind kind))
            {
                // slurmdbd refuses to start here. We only warn, so that a file carrying keys of a
                // newer Slurm (or a typo in a key we would ignore anyway) does not stop the daemon.
                warnings.Add(entry.Location.Describe($"unknown key '{entry.Key}'"));
                continue;
            }

            if (table.settings.ContainsKey(name))
                warnings.Add(entry.Location.Describe($"{name} specified more than once, latest value used"));
            table.settings[name] = (Convert(name, kind, entry), entry.Location);
        }

        return table;
    }

    public bool TryGetString(string key, out string value, out ConfigLocation location) =>
        TryGet(key, out value, out location);

    public string? GetString(string key) => TryGet(key, out string value, out _) ? value : null;

    public ushort? GetUInt16(string key) => TryGet(key, out ushort value, out _) ? value : null;

    public bool TryGetUInt32(string key, out uint value, out ConfigLocation location) =>
        TryGet(key, out value, out location);

    public bool GetBoolean(string key) => TryGet(key, out bool value, out _) && value;

    public bool Contains(string key) => settings.ContainsKey(key);

    /// <summary>Where the value in use for <paramref name="key"/> was set; the key must be present.</summary>
    public ConfigLocation LocationOf(string key) => settings[key].Location;

    private bool TryGet<T>(string key, out T value, out ConfigLocation location)
    {
        bool found = settings.TryGetValue(key, out var setting);
        value = found ? (T)setting.Value : default!;
        location = setting.Location;
        return found;
    }

    private static object Convert(string name, ValueKind kind, ConfigEntry entry)
    {
        string? error = null;
        object value = entry.Value;
        switch (kind)
        {
            case ValueKind.UInt16:
                error = SlurmValueSyntax.TryParseUInt16(name, entry.Value, out ushort u16);
                value = u16;
                break;
            case ValueKind.UInt32:
                error = SlurmValueSyntax.TryParseUInt32(name, entry.Value, out uint u32);
                value = u32;
                break;
            case ValueKind.Boolean:
                error = SlurmValueSyntax.TryParseBoolean(name, entry.Value, out bool flag);
                value = flag;
                break;
        }

        return error is null ? value : throw entry.Location.Error(error);
    }
}
