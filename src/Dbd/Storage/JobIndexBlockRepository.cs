using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>
/// Blocks of job_db_inx values set aside for job starts answered while no database is writable
/// (migrations/0004_spool.sql). The values are taken out of the AUTO_INCREMENT sequence, so no insert
/// ever gets one; a spooled job start is later inserted with the value it was answered with.
/// </summary>
public sealed class JobIndexBlockRepository
{
    /// <summary>
    /// Reserves <paramref name="count"/> values above every job row and every earlier block. The tables
    /// are locked for the few statements it takes, so no concurrent insert can take a value from the block.
    /// </summary>
    public (ulong First, ulong Last) Reserve(DatabaseLocator locator, ulong count, long now)
    {
        using var connection = locator.OpenConnection();
        connection.Execute("LOCK TABLES job WRITE, job_db_index_block WRITE");
        try
        {
            ulong highest = connection.ExecuteScalar<ulong>(
                "SELECT GREATEST(COALESCE((SELECT MAX(job_db_inx) FROM job), 0), COALESCE((SELECT MAX(last_index) FROM job_db_index_block), 0))");
            ulong first = highest + 1, last = highest + count;
            // DDL takes no parameters; the value is a number we computed, never client input.
            connection.Execute($"ALTER TABLE job AUTO_INCREMENT = {last + 1}");
            connection.Execute("INSERT INTO job_db_index_block (first_index, last_index, time_reserved) VALUES (@First, @Last, @Now)",
                new { First = first, Last = last, Now = now });
            return (first, last);
        }
        finally
        {
            connection.Execute("UNLOCK TABLES");
        }
    }

    /// <summary>Whether this database reserved exactly this block (a spool directory may come from another database).</summary>
    public bool IsReserved(DatabaseLocator locator, ulong first, ulong last)
    {
        using var connection = locator.OpenConnection();
        return connection.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM job_db_index_block WHERE first_index = @First AND last_index = @Last",
            new { First = first, Last = last }) == 1;
    }
}
