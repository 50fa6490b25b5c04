namespace Accounting.Dbd.Configuration;

/// <summary>
/// AuthInfo, interpreted the way auth/munge reads it: either the old format (the whole value is
/// the munge socket path) or comma separated options such as <c>socket=PATH,ttl=SECONDS</c>.
/// </summary>
public sealed record AuthInfo(string Raw)
{
    /// <summary>The munge socket to use instead of munged's default one, if any (slurm_auth_opts_to_socket).</summary>
    public string? Socket => SocketFrom(Raw);

    /// <summary>The munge credential time-to-live; null lets munged pick (slurm_get_auth_ttl returns 0).</summary>
    public TimeSpan? CredentialTtl => TtlFrom(Raw);

    private static string? SocketFrom(string raw)
    {
        // Slurm matches these option names case-sensitively.
        int start = raw.IndexOf("socket=", StringComparison.Ordinal);
        if (start >= 0)
        {
            string rest = raw[(start + "socket=".Length)..];
            int comma = rest.IndexOf(',');
            return comma >= 0 ? rest[..comma] : rest;
        }

        // Options without socket= mean the default socket; no '=' at all is the old bare-path format.
        return raw.Contains('=') ? null : raw;
    }

    private static TimeSpan? TtlFrom(string raw)
    {
        int start = raw.IndexOf("ttl=", StringComparison.Ordinal);
        if (start < 0)
            return null;

        // atoi(): leading digits only; anything else, and zero, means "not specified".
        string digits = string.Concat(raw[(start + "ttl=".Length)..].TakeWhile(char.IsAsciiDigit));
        return int.TryParse(digits, out int seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
    }
}
