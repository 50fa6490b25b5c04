using System.Globalization;
using Accounting.Dbd.Configuration;
using Accounting.Dbd.Storage;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;
using Microsoft.Extensions.Logging;
using MySql.Data.MySqlClient;

namespace Accounting.Dbd.Archive;

/// <summary>Chunk size of purges; slurmdbd's MAX_PURGE_LIMIT unless a test asks for less.</summary>
public sealed record PurgeOptions(int ChunkLimit = PurgeOptions.MaxPurgeLimit)
{
    /// <summary>as_mysql_archive.c: rows removed per statement "so that locks can be periodically released".</summary>
    public const int MaxPurgeLimit = 50000;
}

/// <summary>One bounded delete: the rows of one table of one cluster up to End, and the file they went to.</summary>
public sealed record PurgeChunk(ArchiveTable Table, string Cluster, long End, int Deleted, string? File);

public sealed record PurgeOutcome(int ReturnCode, IReadOnlyList<PurgeChunk> Chunks);

/// <summary>
/// as_mysql_jobacct_process_archive: for every cluster of the condition (all clusters when it names
/// none) and every table whose purge value is set, removes the rows older than the purge end, oldest
/// first, at most <see cref="PurgeOptions.ChunkLimit"/> rows per statement, each chunk its own short
/// transaction so ingest is never blocked for long. With the archive bit the chunk is first written
/// to an archive file; rows are deleted only in the transaction that read them for the file, with the
/// rows locked, so a row is never removed without having been archived. With an ArchiveScript the
/// script is run instead and nothing is purged here, as in the reference.
/// </summary>
public sealed class ArchivePurge(DatabaseLocator locator, StorageWorkers workers, ClusterRepository clusters,
    ArchiveScriptRunner script, TimeProvider time, PurgeOptions options, ILogger<ArchivePurge> log)
{
    /// <summary>MAX_ARCHIVE_AGE: older data than this (60 days) is archived month by month.</summary>
    public const long MaxArchiveAge = 60L * 60 * 24 * 60;

    public async Task<PurgeOutcome> RunAsync(ArchiveCondition condition, long now)
    {
        var chunks = new List<PurgeChunk>();
        var names = condition.JobCondition.ClusterList is { Count: > 0 } named
            ? named
            : await RunAsync(connection => connection.Query<string>("SELECT name FROM cluster WHERE deleted = 0 ORDER BY name").ToList())
                .ConfigureAwait(false);
        foreach (string cluster in names)
        {
            int rc = await RunClusterAsync(condition, cluster, now, chunks).ConfigureAwait(false);
            if (rc != SlurmError.Success)
                return new PurgeOutcome(rc, chunks);
        }
        return new PurgeOutcome(SlurmError.Success, chunks);
    }

    private async Task<int> RunClusterAsync(ArchiveCondition condition, string cluster, long now, List<PurgeChunk> chunks)
    {
        if (condition.ArchiveScript is { Length: > 0 })
            return await script.RunAsync(condition, cluster, now).ConfigureAwait(false);
        if (string.IsNullOrEmpty(condition.ArchiveDir))
        {
            log.LogError("No archive dir given, can't process");
            return SlurmError.Error;
        }
        uint? clusterId = await RunAsync(connection => clusters.IdOf(new SqlScope(connection, null), cluster)).ConfigureAwait(false);
        if (clusterId is null)
        {
            log.LogError("archive/purge: no cluster {Cluster}", cluster);
            return SlurmError.Error;
        }
        var scope = new ClusterPurge(cluster, clusterId.Value, condition.ArchiveDir);
        foreach (var table in ArchiveTable.InPurgeOrder)
        {
            uint value = ValueFor(condition, table.Target);
            if (value == SlurmValues.NoVal)
                continue;
            if (!PurgeRule.TryFromWire(value, out var rule))
            {
                log.LogError("No known unit given for purge of {Cluster} {Table} ({Value:x}), not purging", cluster, table.Table, value);
                return SlurmError.Error;
            }
            int rc = await PurgeTableAsync(scope, table, rule, now, chunks).ConfigureAwait(false);
            if (rc != SlurmError.Success)
                return rc;
        }
        return SlurmError.Success;
    }

    private sealed record ClusterPurge(string Cluster, uint ClusterId, string Directory);

    private async Task<int> PurgeTableAsync(ClusterPurge scope, ArchiveTable table, PurgeRule rule, long now, List<PurgeChunk> chunks)
    {
        var zone = time.LocalTimeZone;
        long purgeEnd = rule.PurgeEnd(now, zone);
        try
        {
            while (await RunAsync(connection => Oldest(connection, table, scope, purgeEnd)).ConfigureAwait(false) is long oldest)
            {
                long end = purgeEnd;
                var fileUnit = rule.Period.Unit;
                if (purgeEnd - oldest > MaxArchiveAge)
                {
                    // Old data: catch up one month at a time so no file (and no transaction) grows without bound.
                    end = Math.Min(purgeEnd, BeginNextMonth(oldest, zone));
                    fileUnit = PurgeUnit.Months;
                }
                log.LogDebug("Purging {Cluster}_{Table} before {End}", scope.Cluster, table.ReferenceTable, end);
                var chunk = await RunAsync(connection => rule.Archive
                    ? ArchiveChunk(connection, table, scope, end, fileUnit, zone)
                    : DeleteChunk(connection, table, scope, end)).ConfigureAwait(false);
                chunks.Add(chunk);
                if (chunk.Deleted == 0)
                {
                    log.LogError("archive/purge: found {Table} records of {Cluster} before {End} but removed none", table.Table, scope.Cluster, end);
                    return SlurmError.Error;
                }
            }
            return SlurmError.Success;
        }
        catch (MySqlException exception)
        {
            log.LogError("Couldn't remove old data from {Table} table of {Cluster}: {Message}", table.Table, scope.Cluster, exception.Message);
            return SlurmError.Error;
        }
        catch (IOException exception)
        {
            log.LogError("Can't save archive of {Table} of {Cluster} in {Directory}: {Message}", table.Table, scope.Cluster, scope.Directory, exception.Message);
            return SlurmError.Error;
        }
        catch (UnauthorizedAccessException exception)
        {
            log.LogError("Can't save archive of {Table} of {Cluster} in {Directory}: {Message}", table.Table, scope.Cluster, scope.Directory, exception.Message);
            return SlurmError.Error;
        }
    }

    private static object Parameters(ClusterPurge scope, long end, int limit) =>
        new { ClusterId = scope.ClusterId, ClusterName = scope.Cluster, End = end, Limit = limit };

    private static long? Oldest(MySqlConnection connection, ArchiveTable table, ClusterPurge scope, long end) =>
        connection.ExecuteScalar<long?>(
            $"SELECT `{table.TimeColumn}` FROM {table.Table} WHERE {table.Where} ORDER BY `{table.TimeColumn}` LIMIT 1",
            Parameters(scope, end, 1));

    private PurgeChunk DeleteChunk(MySqlConnection connection, ArchiveTable table, ClusterPurge scope, long end)
    {
        int deleted = connection.Execute(table.DeleteChunk, Parameters(scope, end, options.ChunkLimit));
        return new PurgeChunk(table, scope.Cluster, end, deleted, null);
    }

    private PurgeChunk ArchiveChunk(MySqlConnection connection, ArchiveTable table, ClusterPurge scope, long end, PurgeUnit fileUnit, TimeZoneInfo zone)
    {
        using var transaction = connection.BeginTransaction();
        var parameters = Parameters(scope, end, options.ChunkLimit);
        string columns = string.Join(", ", table.Kind.Fields.Select(field => $"`{table.Column(field)}`"));
        var rows = ReadRows(connection, transaction,
            $"SELECT {columns} FROM {table.Table} WHERE {table.Where} ORDER BY {table.OrderBy} LIMIT @Limit FOR UPDATE", parameters);
        if (rows.Count == 0)
            return new PurgeChunk(table, scope.Cluster, end, 0, null);

        var archive = new ArchiveFile(ProtocolVersion.Current, time.GetUtcNow().ToUnixTimeSeconds(), table.Kind, scope.Cluster,
            table.Period, rows);
        var writer = new SlurmWriter(1024 * 1024);
        archive.Pack(writer);
        long periodStart = long.Parse(rows[0][table.Kind.IndexOf(table.TimeColumn)]!, CultureInfo.InvariantCulture);
        string file = ArchiveFileName.WriteNew(
            ArchiveFileName.For(scope.Directory, scope.Cluster, table.ReferenceTable, periodStart, end, fileUnit, zone),
            writer.WrittenSpan);
        log.LogDebug("Storing {Table} archive for {Cluster} at {File}", table.ReferenceTable, scope.Cluster, file);

        int deleted = connection.Execute(table.DeleteChunk, parameters, transaction);
        if (deleted != rows.Count)
        {
            // Cannot happen with the rows locked; if it did, keep them (the file holds a copy either way).
            log.LogError("archive/purge: {Archived} {Table} rows archived to {File} but {Deleted} would be removed; kept them",
                rows.Count, table.Table, file, deleted);
            return new PurgeChunk(table, scope.Cluster, end, 0, file);
        }
        transaction.Commit();
        return new PurgeChunk(table, scope.Cluster, end, deleted, file);
    }

    /// <summary>Each column as the text the database gives for it, NULL as null (the reference packs MYSQL_ROW strings).</summary>
    private static List<string?[]> ReadRows(MySqlConnection connection, MySqlTransaction transaction, string sql, object parameters)
    {
        var rows = new List<string?[]>();
        using var reader = connection.ExecuteReader(sql, parameters, transaction);
        while (reader.Read())
        {
            var row = new string?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>_get_begin_next_month: local midnight of the first of the month after <paramref name="start"/>.</summary>
    public static long BeginNextMonth(long start, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(start), zone).DateTime;
        return PurgeRule.LocalToUnix(new DateTime(local.Year, local.Month, 1).AddMonths(1), zone);
    }

    public static uint ValueFor(ArchiveCondition condition, PurgeTarget target) => target switch
    {
        PurgeTarget.Event => condition.PurgeEvent,
        PurgeTarget.Suspend => condition.PurgeSuspend,
        PurgeTarget.Step => condition.PurgeStep,
        PurgeTarget.Job => condition.PurgeJob,
        PurgeTarget.Reservation => condition.PurgeResv,
        PurgeTarget.Transaction => condition.PurgeTxn,
        _ => condition.PurgeUsage,
    };

    private Task<T> RunAsync<T>(Func<MySqlConnection, T> work) => workers.RunAsync(() =>
    {
        using var connection = locator.OpenConnection();
        return work(connection);
    }, locator.Options.CallDeadline);
}
