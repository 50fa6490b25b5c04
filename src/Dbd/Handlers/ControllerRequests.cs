using Accounting.Dbd.Authorization;
using Accounting.Dbd.Controllers;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>The outcome of a controller write: whether the connection's cluster exists, and what the write returned.</summary>
public readonly record struct ControllerWrite<T>(bool ClusterKnown, T Value);

/// <summary>
/// What every controller message handler shares (wire spec §5.4, §5.5, §9): the SlurmUser check with
/// proc_req.c's "&lt;TYPE&gt; message from invalid uid", the cluster of the connection (its persist init
/// names it, registered or not, §9.12), and a commit before each reply: writes are units of the group
/// commit, answered once committed (slurmdbd commits after every RPC with CommitDelay 0).
/// </summary>
public sealed class ControllerRequests(Privileges privileges, ClusterRepository clusters, IControllerNotifier controllers, TimeProvider clock)
{
    /// <summary>The reference's answer when the connection's cluster has no tables.</summary>
    public const string UnknownClusterComment = "This cluster hasn't been added to accounting yet";

    public long Now => clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>PERSIST_RC 2002 for a connection that is not root or SlurmUser; null when it may go on.</summary>
    public PersistRc? Refusal(RequestContext context, DbdMessageType type) =>
        privileges.IsSlurmUser(context.Connection.Uid)
            ? null
            : PersistRc.Failure(type, SlurmError.AccessDenied, $"{DbdMessageTypeInfo.SlurmName(type)} message from invalid uid");

    public static PersistRc UnknownCluster(DbdMessageType type) => PersistRc.Failure(type, SlurmError.Error, UnknownClusterComment);

    /// <summary>
    /// Runs <paramref name="write"/> with the id of the connection's cluster as one unit of the group commit
    /// and returns once it is committed; rolls back when the cluster is unknown or the write fails, so nothing
    /// half-done waits for a later commit. Inside a batch the batch is the unit; a failed write still rolls back
    /// everything uncommitted and the exception fails the whole batch, so no inner message is acknowledged
    /// without being stored.
    /// </summary>
    public Task<ControllerWrite<T>> WriteAsync<T>(RequestContext context, Func<SqlScope, uint, T> write) =>
        WriteAsync(context, context.Connection.ClusterName, write);

    /// <summary>The same for a message that names its cluster itself (reservations).</summary>
    public async Task<ControllerWrite<T>> WriteAsync<T>(RequestContext context, string? name, Func<SqlScope, uint, T> write)
    {
        if (context.InsideBatch)
            return await WriteInUnitAsync(context, name, write).ConfigureAwait(false);
        var result = await context.Storage.GroupedAsync(() => WriteInUnitAsync(context, name, write)).ConfigureAwait(false);
        await CommitAsync(context, result.ClusterKnown).ConfigureAwait(false);
        return result;
    }

    private async Task<ControllerWrite<T>> WriteInUnitAsync<T>(RequestContext context, string? name, Func<SqlScope, uint, T> write)
    {
        ControllerWrite<T> result;
        try
        {
            result = await context.Storage.ChangeAsync(scope =>
                (string.IsNullOrEmpty(name) ? null : clusters.CachedIdOf(scope, name)) is uint clusterId
                    ? new ControllerWrite<T>(true, write(scope, clusterId))
                    : new ControllerWrite<T>(false, default!)).ConfigureAwait(false);
        }
        catch
        {
            await context.Storage.RollbackAsync().ConfigureAwait(false);
            throw;
        }
        return result;
    }

    /// <summary>
    /// Commits (or, when nothing is to be kept, rolls back) and passes committed updates on to the controllers.
    /// Inside a batch it does nothing: a message that kept nothing wrote nothing, and the batch commits the rest.
    /// </summary>
    public async Task CommitAsync(RequestContext context, bool keep = true)
    {
        if (context.InsideBatch)
            return;
        if (!keep)
        {
            await context.Storage.RollbackAsync().ConfigureAwait(false);
            return;
        }
        var updates = await context.Storage.CommitAsync().ConfigureAwait(false);
        if (updates.Count > 0)
            controllers.Notify(updates);
    }
}
