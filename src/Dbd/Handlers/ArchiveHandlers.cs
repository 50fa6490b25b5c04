using Accounting.Dbd.Archive;
using Accounting.Dbd.Authorization;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// `sacctmgr archive dump` (DBD_ARCHIVE_DUMP) and `sacctmgr archive load` (DBD_ARCHIVE_LOAD), for the
/// slurm user and administrators only (proc_req.c _archive_dump, _archive_load; records spec §11.7).
/// Both answer PERSIST_RC with the reference's comments.
/// </summary>
public sealed class ArchiveHandlers(PurgeRunner runner, ArchiveLoader loader, Privileges privileges, TimeProvider clock,
    ILogger<ArchiveHandlers> log) : IHandlerFamily
{
    public void RegisterWith(HandlerTable table)
    {
        table.On<ConditionMessage<ArchiveCondition>>(DbdMessageType.ArchiveDump, DumpAsync);
        table.On<ArchiveLoadMessage>(DbdMessageType.ArchiveLoad, LoadAsync);
    }

    /// <summary>
    /// Archives and purges at once and commits chunk by chunk, outside the connection's transaction:
    /// sacctmgr does not commit after a dump.
    /// </summary>
    private async Task<IDbdMessage> DumpAsync(RequestContext context, ConditionMessage<ArchiveCondition> request)
    {
        if (!await privileges.IsSuperUserAsync(context).ConfigureAwait(false))
            return PersistRc.Failure(request.Type, SlurmError.AccessDenied, Privileges.NoPrivilegeComment);
        var outcome = await runner.DumpAsync(request.Condition, clock.GetUtcNow().ToUnixTimeSeconds()).ConfigureAwait(false);
        return outcome.ReturnCode == SlurmError.Success
            ? PersistRc.Failure(request.Type, SlurmError.Success, "SUCCESS")
            : PersistRc.Failure(request.Type, outcome.ReturnCode, "Error with request.");
    }

    /// <summary>
    /// The rows go into the connection's open transaction; sacctmgr asks "Would you like to commit
    /// changes?" and sends DBD_FINI accordingly. Insert= (raw SQL for the reference's tables) is refused:
    /// its table names do not exist here, and running client SQL is not something we do.
    /// </summary>
    private async Task<IDbdMessage> LoadAsync(RequestContext context, ArchiveLoadMessage request)
    {
        if (!await privileges.IsSuperUserAsync(context).ConfigureAwait(false))
            return PersistRc.Failure(request.Type, SlurmError.AccessDenied, Privileges.NoPrivilegeComment);
        if (request.Record.ArchiveFile is not { Length: > 0 } path)
        {
            log.LogError("DBD_ARCHIVE_LOAD: {What}", request.Record.Insert is null
                ? "Nothing was set in your slurmdb_archive_rec so I am unable to process."
                : "Insert= SQL is not run; load an archive file instead");
            return PersistRc.Failure(request.Type, SlurmError.Error, "Error with request.");
        }
        var (rc, file) = loader.Read(path);
        if (file is not null)
            rc = await context.Storage.ChangeAsync(scope => loader.Load(scope, file)).ConfigureAwait(false);
        return rc switch
        {
            SlurmError.Success => PersistRc.Failure(request.Type, rc, "SUCCESS"),
            ArchiveLoader.Enoent => PersistRc.Failure(request.Type, rc, "No archive file given to recover."),
            _ => PersistRc.Failure(request.Type, rc, "Error with request."),
        };
    }
}
