using System.Globalization;

namespace Accounting.Dbd.Configuration;

/// <summary>
/// The CommunicationParameters options slurmdbd 22.05 acts on. Slurm looks for each option name
/// anywhere in the value, case-insensitively, and ignores options meant only for slurm.conf.
/// </summary>
public sealed record CommunicationParameters
{
    /// <summary>The value as written, or null when the key is absent.</summary>
    public string? Raw { get; init; }

    /// <summary>On unless DisableIPv4 is given.</summary>
    public bool IPv4Enabled { get; init; } = true;

    /// <summary>Off unless EnableIPv6 is given.</summary>
    public bool IPv6Enabled { get; init; }

    // _check_hash (slurm_protocol_api.c) starts these at true but replaces them with the
    // comm_params lookup before it checks the first message, so in effect both are off
    // unless their word appears in the value.

    /// <summary>block_null_hash: refuse messages whose credential carries no message hash at all.</summary>
    public bool BlockNullHash { get; init; }

    /// <summary>block_zero_hash: refuse messages whose credential carries a hash of type "none" (only the message type, no digest).</summary>
    public bool BlockZeroHash { get; init; }

    // DEFAULT_SLURMDBD_KEEPALIVE_* in src/slurmdbd/read_config.h: these apply to the
    // connection between the primary and the backup slurmdbd.
    private const int DefaultKeepAliveIntervalSeconds = 30;
    private const int DefaultKeepAliveProbes = 3;
    private const int DefaultKeepAliveTimeSeconds = 30;

    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(DefaultKeepAliveIntervalSeconds);
    public int KeepAliveProbes { get; init; } = DefaultKeepAliveProbes;
    public TimeSpan KeepAliveTime { get; init; } = TimeSpan.FromSeconds(DefaultKeepAliveTimeSeconds);

    /// <summary>Reads the value; an unusable keepalive number is reported in <paramref name="warnings"/> and ignored.</summary>
    internal static CommunicationParameters Parse(string raw, ICollection<string> warnings)
    {
        return new CommunicationParameters
        {
            Raw = raw,
            IPv4Enabled = !raw.Contains("DisableIPv4", StringComparison.OrdinalIgnoreCase),
            IPv6Enabled = raw.Contains("EnableIPv6", StringComparison.OrdinalIgnoreCase),
            BlockNullHash = raw.Contains("block_null_hash", StringComparison.OrdinalIgnoreCase),
            BlockZeroHash = raw.Contains("block_zero_hash", StringComparison.OrdinalIgnoreCase),
            KeepAliveInterval = TimeSpan.FromSeconds(
                NonNegativeOption(raw, "keepaliveinterval", DefaultKeepAliveIntervalSeconds, warnings)),
            KeepAliveProbes = NonNegativeOption(raw, "keepaliveprobes", DefaultKeepAliveProbes, warnings),
            KeepAliveTime = TimeSpan.FromSeconds(
                NonNegativeOption(raw, "keepalivetime", DefaultKeepAliveTimeSeconds, warnings)),
        };
    }

    private static int NonNegativeOption(string raw, string name, int fallback, ICollection<string> warnings)
    {
        int start = raw.IndexOf(name + "=", StringComparison.OrdinalIgnoreCase);
        if (start < 0)
            return fallback;

        // strtol() semantics: an optional sign and the leading digits; the rest is ignored.
        string rest = raw[(start + name.Length + 1)..];
        int length = rest.Length > 0 && rest[0] is '-' or '+' ? 1 : 0;
        length += rest.Skip(length).TakeWhile(char.IsAsciiDigit).Count();
        if (long.TryParse(rest.AsSpan(0, length), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            && value is >= 0 and <= int.MaxValue)
            return (int)value;

        warnings.Add($"CommunicationParameters option {name}={rest.Split(',')[0]} is invalid, ignored");
        return fallback;
    }
}
