using System.Text;
using Accounting.Dbd.Storage;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Microsoft.Extensions.Logging;
using MySql.Data.MySqlClient;

namespace Accounting.Dbd.Archive;

/// <summary>
/// DBD_ARCHIVE_LOAD (as_mysql_jobacct_process_archive_load): sacctmgr sends the file's path, the daemon
/// reads the file on its own host and inserts its rows, with their original ids, into the connection's
/// open transaction, which sacctmgr then commits or discards. Rows go in as bound parameters, at most
/// RECORDS_PER_PASS (1000) records per statement.
/// </summary>
public sealed class ArchiveLoader(ClusterRepository clusters, ILogger<ArchiveLoader> log)
{
    public const int RecordsPerPass = 1000;

    /// <summary>Parameters per INSERT; a jobs file (53 columns) goes in 75 rows at a time.</summary>
    private const int ParametersPerStatement = 4000;

    public const int Enoent = 2;
    public const int Eacces = 13;
    public const int Eisdir = 21;

    /// <summary>Reads and decodes the file: the errno of a file that cannot be read, EFAULT for a newer version.</summary>
    public (int ReturnCode, ArchiveFile? File) Read(string path)
    {
        byte[] data;
        try
        {
            if (Directory.Exists(path))
                return Fail(Eisdir, $"Could not read archive file `{path}`: Is a directory");
            data = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return Fail(Enoent, $"Could not open archive file `{path}`: No such file or directory");
        }
        catch (UnauthorizedAccessException)
        {
            return Fail(Eacces, $"Could not open archive file `{path}`: Permission denied");
        }
        catch (IOException exception)
        {
            return Fail(SlurmError.Error, $"Read error on {path}: {exception.Message}");
        }

        if (data.Length >= 12 && Encoding.ASCII.GetString(data, 0, 12) is "insert into " or "delete from ")
            return Fail(SlurmError.Error, $"{path} is a pre-15.08 SQL archive; only packed 22.05 archives are loaded");
        if (ArchiveFile.PeekVersion(data) is ushort version && version > ProtocolVersion.Current)
            return Fail(SlurmError.Efault, $"Can not recover archive file, incompatible version, got {version} need <= {ProtocolVersion.Current}");
        try
        {
            return (SlurmError.Success, ArchiveFile.Unpack(data));
        }
        catch (WireFormatException exception)
        {
            return Fail(SlurmError.Error, $"Error unpacking archive file {path}: {exception.Message}");
        }
    }

    private (int, ArchiveFile?) Fail(int rc, string message)
    {
        log.LogError("{Message}", message);
        return (rc, null);
    }

    /// <summary>
    /// Inserts every row or none: a failure (a duplicate key when a file is loaded twice, an unknown
    /// cluster) rolls back to before the load and leaves the rest of the open transaction alone.
    /// </summary>
    public int Load(SqlScope scope, ArchiveFile file)
    {
        if (ArchiveTable.For(file.Kind, file.Period) is not { } table)
        {
            log.LogError("Unknown period {Period} in a {Kind} archive", file.Period, file.Kind);
            return SlurmError.Error;
        }
        if (file.Rows.Count == 0)
        {
            log.LogError("we didn't get any records from this file of type '{Type}'", DbdMessageTypeInfo.SlurmName(file.Kind.Type));
            return SlurmError.Error;
        }
        uint? clusterId = null;
        if (!table.ByClusterName && (clusterId = clusters.IdOf(scope, file.Cluster ?? "")) is null)
        {
            log.LogError("Couldn't load old data: archive of {Kind} of cluster {Cluster}, which does not exist", file.Kind, file.Cluster);
            return SlurmError.Error;
        }

        var columns = file.Kind.Fields.Select(table.Column).ToList();
        if (clusterId is not null)
            columns.Add("cluster_id");
        int rowsPerStatement = Math.Clamp(ParametersPerStatement / columns.Count, 1, RecordsPerPass);
        Execute(scope, "SAVEPOINT archive_load");
        try
        {
            foreach (var batch in file.Rows.Chunk(rowsPerStatement))
                Insert(scope, table.Table, columns, batch, clusterId);
        }
        catch (MySqlException exception)
        {
            Execute(scope, "ROLLBACK TO SAVEPOINT archive_load");
            log.LogError("Couldn't load old data into {Table}: {Message}", table.Table, exception.Message);
            return SlurmError.Error;
        }
        Execute(scope, "RELEASE SAVEPOINT archive_load");
        log.LogDebug("archive of {Count} {Kind} of {Cluster} loaded into {Table}", file.Rows.Count, file.Kind, file.Cluster, table.Table);
        return SlurmError.Success;
    }

    private static void Insert(SqlScope scope, string tableName, List<string> columns, string?[][] rows, uint? clusterId)
    {
        var sql = new StringBuilder($"INSERT INTO {tableName} (")
            .AppendJoin(", ", columns.Select(column => $"`{column}`")).Append(") VALUES ");
        using var command = new MySqlCommand { Connection = scope.Connection, Transaction = scope.Transaction };
        for (int row = 0; row < rows.Length; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (int column = 0; column < columns.Count; column++)
            {
                string name = $"@p{row}_{column}";
                sql.Append(column == 0 ? name : $", {name}");
                object? value = column < rows[row].Length ? rows[row][column] : clusterId;
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
            sql.Append(')');
        }
        command.CommandText = sql.ToString();
        command.ExecuteNonQuery();
    }

    private static void Execute(SqlScope scope, string sql)
    {
        using var command = new MySqlCommand(sql, scope.Connection, scope.Transaction);
        command.ExecuteNonQuery();
    }
}
