using Accounting.Dbd.Handlers;
using Accounting.Dbd.Storage;

namespace Accounting.Dbd.Authorization;

/// <summary>
/// slurmdbd's privilege checks (proc_req.c; records spec §1.6): root and SlurmUser may do everything;
/// everybody else is judged by the AdminLevel of the accounting user named like their uid.
/// </summary>
public sealed class Privileges(uint slurmUserUid, UserRepository users)
{
    public const string NoPrivilegeComment = "Your user doesn't have privilege to perform this action";

    /// <summary>_validate_slurm_user: the only ones who may send controller messages.</summary>
    public bool IsSlurmUser(uint uid) => uid == 0 || uid == slurmUserUid;

    public async Task<AdminLevel> AdminLevelAsync(RequestContext context)
    {
        if (IsSlurmUser(context.Connection.Uid))
            return AdminLevel.Administrator;
        string? name = UnixUsers.NameOf(context.Connection.Uid);
        if (name is null)
            return AdminLevel.None;
        return await context.Storage.ReadAsync(scope => users.AdminLevelOf(scope, name)).ConfigureAwait(false);
    }

    /// <summary>_validate_super_user: slurm user, or AdminLevel=Administrator.</summary>
    public async Task<bool> IsSuperUserAsync(RequestContext context) =>
        await AdminLevelAsync(context).ConfigureAwait(false) >= AdminLevel.Administrator;

    /// <summary>_validate_operator: slurm user, or AdminLevel Operator or above.</summary>
    public async Task<bool> IsOperatorAsync(RequestContext context) =>
        await AdminLevelAsync(context).ConfigureAwait(false) >= AdminLevel.Operator;
}
