namespace Accounting.Tests.Dbd.Archive;

/// <summary>The system clock with a chosen local time zone: purge ends are local-time boundaries.</summary>
public sealed class PurgeTimeZone(TimeZoneInfo zone) : TimeProvider
{
    public static readonly PurgeTimeZone Utc = new(TimeZoneInfo.Utc);

    public override TimeZoneInfo LocalTimeZone => zone;
}
