using System.Globalization;
using Accounting.Dbd.Configuration;

namespace Accounting.Dbd.Archive;

/// <summary>
/// common_as.c _make_archive_name / archive_write_file: DIR/CLUSTER_TABLE_archive_START_END in local
/// time, START cut to the hour, day or month being archived; an existing name gets ".2", ".3", ...
/// </summary>
public static class ArchiveFileName
{
    public static string For(string directory, string cluster, string referenceTable, long periodStart, long periodEnd,
        PurgeUnit unit, TimeZoneInfo zone)
    {
        var start = Local(periodStart, zone);
        start = unit switch
        {
            PurgeUnit.Hours => new DateTime(start.Year, start.Month, start.Day, start.Hour, 0, 0),
            PurgeUnit.Days => start.Date,
            _ => new DateTime(start.Year, start.Month, 1),
        };
        return $"{directory}/{cluster}_{referenceTable}_archive_{Format(start)}_{Format(Local(periodEnd, zone))}";
    }

    /// <summary>Creates the file (mode 0600) under the first free name and writes it through to disk.</summary>
    public static string WriteNew(string name, ReadOnlySpan<byte> content)
    {
        for (int number = 1; ; number++)
        {
            string candidate = number == 1 ? name : $"{name}.{number}";
            if (File.Exists(candidate))
                continue;
            try
            {
                using var file = new FileStream(candidate, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
                file.Write(content);
                file.Flush(flushToDisk: true);
                return candidate;
            }
            catch (IOException) when (File.Exists(candidate))
            {
                // Someone else took the name between the check and the create: try the next one.
            }
        }
    }

    private static DateTime Local(long epoch, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(epoch), zone).DateTime;

    private static string Format(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
}
