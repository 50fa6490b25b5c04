using System.Globalization;

namespace Accounting.Dbd.Configuration;

/// <summary>
/// Slurm's typed config values (src/common/parse_value.c and parse_time.c). Each method returns
/// null on success, or the reason Slurm gives for rejecting the value.
/// </summary>
internal static class SlurmValueSyntax
{
    private const string CWhitespace = " \t\n\v\f\r";

    public static string? TryParseUInt16(string key, string value, out ushort result)
    {
        string? error = TryParseUnsigned(key, value, ushort.MaxValue, allowKiloSuffix: false, out ulong number);
        result = (ushort)number;
        return error;
    }

    /// <summary>As for 16 bits, but 32-bit values may also end in k or K (times 1024).</summary>
    public static string? TryParseUInt32(string key, string value, out uint result)
    {
        string? error = TryParseUnsigned(key, value, uint.MaxValue, allowKiloSuffix: true, out ulong number);
        result = (uint)number;
        return error;
    }

    public static string? TryParseBoolean(string key, string value, out bool result)
    {
        switch (value.ToLowerInvariant())
        {
            case "yes" or "up" or "true" or "1":
                result = true;
                return null;
            case "no" or "down" or "false" or "0":
                result = false;
                return null;
            default:
                result = false;
                return $"\"{value}\" is not a valid option for \"{key}\"";
        }
    }

    /// <summary>
    /// time_str2secs, as used for MaxQueryTimeRange: <c>minutes</c>, <c>minutes:seconds</c>,
    /// <c>hours:minutes:seconds</c>, <c>days-hours[:minutes[:seconds]]</c>; -1, INFINITE and
    /// UNLIMITED give null (no limit).
    /// </summary>
    public static string? TryParseTimeLimit(string key, string value, out TimeSpan? result)
    {
        result = null;
        if (value is "-1" || value.Equals("INFINITE", StringComparison.OrdinalIgnoreCase)
            || value.Equals("UNLIMITED", StringComparison.OrdinalIgnoreCase))
            return null;

        // Slurm turns a malformed time into NO_VAL without complaint; we refuse it instead.
        string invalid = $"Invalid {key} \"{value}\"";
        if (!IsValidTimeSpec(value))
            return invalid;

        long seconds;
        int dash = value.IndexOf('-');
        if (dash >= 0)
        {
            long[] clock = Fields(value[(dash + 1)..], 3);
            seconds = Number(value[..dash]) * 86400 + clock[0] * 3600 + clock[1] * 60 + clock[2];
        }
        else
        {
            long[] fields = Fields(value, 3);
            seconds = value.Count(c => c == ':') == 2
                ? fields[0] * 3600 + fields[1] * 60 + fields[2]
                : fields[0] * 60 + fields[1];
        }

        if (value.StartsWith('-') || seconds > int.MaxValue)
            return invalid;
        result = TimeSpan.FromSeconds(seconds);
        return null;
    }

    private static string? TryParseUnsigned(string key, string value, ulong max, bool allowKiloSuffix, out ulong number)
    {
        // strtoul(value, &end, 0): optional sign, then 0x-prefixed hex, 0-prefixed octal or decimal.
        number = 0;
        ReadOnlySpan<char> rest = value.AsSpan().TrimStart(CWhitespace);
        bool negative = rest.Length > 0 && rest[0] == '-';
        if (rest.Length > 0 && rest[0] is '+' or '-')
            rest = rest[1..];

        int radix = 10;
        if (rest.Length > 2 && rest[0] == '0' && rest[1] is 'x' or 'X' && char.IsAsciiHexDigit(rest[2]))
        {
            radix = 16;
            rest = rest[2..];
        }
        else if (rest.Length > 0 && rest[0] == '0')
        {
            radix = 8;
        }

        int digits = 0;
        bool overflow = false;
        while (digits < rest.Length && DigitValue(rest[digits], radix) is int digit)
        {
            overflow |= number > (ulong.MaxValue - (ulong)digit) / (ulong)radix;
            number = unchecked(number * (ulong)radix + (ulong)digit);
            digits++;
        }

        rest = rest[digits..];
        if (allowKiloSuffix && digits > 0 && rest.Length > 0 && rest[0] is 'k' or 'K')
        {
            overflow |= number > ulong.MaxValue / 1024;
            number = unchecked(number * 1024);
            rest = rest[1..];
        }

        if (digits == 0 || rest.Length > 0)
        {
            number = 0;
            if (value.Equals("UNLIMITED", StringComparison.OrdinalIgnoreCase)
                || value.Equals("INFINITE", StringComparison.OrdinalIgnoreCase))
            {
                number = max; // INFINITE16 / INFINITE
                return null;
            }

            return $"{key} value \"{value}\" is not a valid number";
        }

        string? error = overflow ? $"{key} value ({value}) is out of range"
            : negative ? $"{key} value ({value}) is less than zero"
            : number > max ? $"{key} value ({value}) is greater than {max}"
            : null;
        if (error is not null)
            number = 0;
        return error;
    }

    private static int? DigitValue(char c, int radix)
    {
        int value = char.IsAsciiDigit(c) ? c - '0'
            : char.IsAsciiHexDigit(c) ? char.ToLowerInvariant(c) - 'a' + 10
            : int.MaxValue;
        return value < radix ? value : null;
    }

    // _is_valid_timespec: digits, at most one '-' (never after a ':'), at most two ':', and
    // enough digit groups that no field is empty.
    private static bool IsValidTimeSpec(string value)
    {
        int groups = 0, dashes = 0, colons = 0;
        bool inDigits = false;
        foreach (char c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                groups += inDigits ? 0 : 1;
                inDigits = true;
                continue;
            }

            inDigits = false;
            if (c == '-' && colons == 0)
                dashes++;
            else if (c == ':')
                colons++;
            else
                return false;
        }

        int minimumGroups = colons + (dashes > 0 ? 1 : 0) + (colons > 0 ? 1 : 0);
        return groups > 0 && dashes <= 1 && colons <= 2 && (colons == 0 || groups >= minimumGroups);
    }

    // sscanf("%d:%d:%d") into zero-initialised fields: missing trailing fields stay 0.
    private static long[] Fields(string text, int count)
    {
        var fields = new long[count];
        string[] parts = text.Split(':');
        for (int i = 0; i < Math.Min(count, parts.Length); i++)
            fields[i] = Number(parts[i]);
        return fields;
    }

    // Anything beyond int range is capped just past it, so the sum stays exact enough to be rejected.
    private static long Number(string digits)
    {
        const long TooLarge = int.MaxValue + 1L;
        if (digits.Length == 0)
            return 0;
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long n)
            ? Math.Min(n, TooLarge)
            : TooLarge;
    }
}
