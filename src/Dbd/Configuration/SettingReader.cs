using System.Collections.Frozen;

namespace Accounting.Dbd.Configuration;

/// <summary>
/// Interprets the string-valued keys of a <see cref="SettingTable"/> as read_slurmdbd_conf does:
/// a value slurmdbd would stop on throws at its line, one it would only log becomes a warning.
/// </summary>
internal sealed class SettingReader(SettingTable table, ICollection<string> warnings)
{
    private static readonly DbdConfig Defaults = new();

    // Above this read_config.c warns that slurmdbd will be slow to notice a dead peer.
    private const int MessageTimeoutWarningSeconds = 100;

    public string StorageType()
    {
        if (!table.TryGetString("StorageType", out string type, out var location))
            return DbdConfig.MySqlStorageType;
        if (type == "accounting_storage/slurmdbd")
            throw location.Error($"StorageType={type} is invalid in slurmdbd.conf");
        return type;
    }

    public TimeSpan MessageTimeout()
    {
        if (table.GetUInt16("MessageTimeout") is not ushort seconds)
            return Defaults.MessageTimeout;
        if (seconds > MessageTimeoutWarningSeconds)
            warnings.Add(table.LocationOf("MessageTimeout").Describe(
                "MessageTimeout is too high for effective fault-tolerance"));
        return TimeSpan.FromSeconds(seconds);
    }

    public CommunicationParameters CommunicationParameters()
    {
        if (!table.TryGetString("CommunicationParameters", out string raw, out var location))
            return Defaults.CommunicationParameters;

        var found = new List<string>();
        var parameters = Configuration.CommunicationParameters.Parse(raw, found);
        foreach (string warning in found)
            warnings.Add(location.Describe(warning));
        if (!parameters.IPv4Enabled && !parameters.IPv6Enabled)
            throw location.Error("Both IPv4 and IPv6 support disabled, cannot communicate");
        return parameters;
    }

    public SlurmLogLevel? LogLevel(string key)
    {
        if (!table.TryGetString(key, out string name, out var location))
            return null;
        return SlurmLogLevelNames.TryParse(name, out var level) ? level : throw location.Error($"Invalid {key} {name}");
    }

    public LogTimeFormat LogTimeFormat()
    {
        if (!table.TryGetString("LogTimeFormat", out string name, out var location))
            return Defaults.LogTimeFormat;
        if (!LogTimeFormatNames.TryParse(name, out var format))
            warnings.Add(location.Describe($"LogTimeFormat {name} not recognised, using iso8601_ms"));
        return format;
    }

    public IReadOnlySet<string> DebugFlags()
    {
        if (!table.TryGetString("DebugFlags", out string list, out var location))
            return Defaults.DebugFlags;

        var flags = new List<string>();
        foreach (string flag in list.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (flag.Equals(DebugFlagNames.Removed, StringComparison.OrdinalIgnoreCase))
                warnings.Add(location.Describe("DebugFlag Task has been removed, please use CPU_Bind"));
            else if (DebugFlagNames.TryCanonicalize(flag, out string canonical))
                flags.Add(canonical);
            else
                throw location.Error($"Invalid DebugFlag: {flag}");
        }

        return flags.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Slurm's MySQL plugin splits StorageParameters at commas and each option at its first '=';
    /// an option without '=' is an error it logs and skips.
    /// </summary>
    public IReadOnlyDictionary<string, string> StorageParameters()
    {
        if (!table.TryGetString("StorageParameters", out string list, out var location))
            return Defaults.StorageParameters;

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string option in list.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = option.IndexOf('=');
            if (equals <= 0)
                warnings.Add(location.Describe($"Invalid StorageParameters option '{option}', ignored"));
            else
                parameters[option[..equals]] = option[(equals + 1)..];
        }

        return parameters.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public PrivateData PrivateData()
    {
        if (!table.TryGetString("PrivateData", out string list, out var location))
            return Defaults.PrivateData;

        var bits = PrivateDataNames.Parse(list, out var ignored);
        foreach (string word in ignored)
            warnings.Add(location.Describe($"PrivateData value '{word}' not recognised, ignored"));
        return bits;
    }

    public TimeSpan? MaxQueryTimeRange()
    {
        if (!table.TryGetString("MaxQueryTimeRange", out string text, out var location))
            return null;
        string? error = SlurmValueSyntax.TryParseTimeLimit("MaxQueryTimeRange", text, out var range);
        return error is null ? range : throw location.Error(error);
    }

    /// <summary>
    /// The purge period from whichever of <paramref name="keysInSlurmOrder"/> slurmdbd reads last.
    /// Purge*After keys take Slurm's purge syntax; the older keys take a number of months, where
    /// 0 means "never purge" even over a Purge*After value.
    /// </summary>
    public PurgePeriod? Purge(params string[] keysInSlurmOrder)
    {
        PurgePeriod? period = null;
        foreach (string key in keysInSlurmOrder.Where(table.Contains))
            period = key.EndsWith("After", StringComparison.Ordinal) ? PurgeAfter(key) : PurgeMonths(key);
        return period;
    }

    private PurgePeriod PurgeAfter(string key)
    {
        table.TryGetString(key, out string text, out var location);
        return PurgePeriod.TryParse(text, out var period) ? period : throw location.Error($"Bad value \"{text}\" for {key}");
    }

    private PurgePeriod? PurgeMonths(string key)
    {
        table.TryGetUInt32(key, out uint months, out var location);
        if (months > PurgePeriod.MaxCount)
            throw location.Error($"{key} value ({months}) is greater than {PurgePeriod.MaxCount}");
        return months == 0 ? null : new PurgePeriod((int)months, PurgeUnit.Months);
    }
}
