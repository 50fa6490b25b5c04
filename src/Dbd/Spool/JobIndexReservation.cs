using Accounting.Dbd.Storage;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Spool;

/// <summary>
/// Keeps a fresh block of job db_index values at hand while the database is up, in the database
/// (job_db_index_block) and in the spool directory (<see cref="JobIndexBlock"/>), so that job starts can be
/// answered with a valid db_index while it is down, also by a daemon restarted meanwhile.
/// </summary>
public sealed class JobIndexReservation(JobIndexBlock block, JobIndexBlockRepository repository, DatabaseLocator locator,
    TimeProvider clock, ILogger<JobIndexReservation> logger)
{
    /// <summary>Job starts one outage can answer; db_index is 64-bit, so the values a block leaves unused cost nothing.</summary>
    public const ulong BlockSize = 100_000;

    /// <summary>
    /// Reserves a new block unless the present one is untouched and was reserved by this database (a spool
    /// directory may outlive its database). Runs on a storage thread: it talks to the database.
    /// </summary>
    public void EnsureFresh()
    {
        var (first, last) = block.Range;
        if (block.Exists && !block.Drawn && repository.IsReserved(locator, first, last))
            return;
        var reserved = repository.Reserve(locator, BlockSize, clock.GetUtcNow().ToUnixTimeSeconds());
        block.Replace(reserved.First, reserved.Last);
        logger.LogInformation("db_index {First}-{Last} reserved for job starts answered while the database is away",
            reserved.First, reserved.Last);
    }
}
