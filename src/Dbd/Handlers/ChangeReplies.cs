using Accounting.Dbd.Authorization;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// How proc_req.c answers adds, modifies and removes (records spec §1.3–1.4): the same shapes for every
/// entity family, so they live in one place.
/// </summary>
public static class ChangeReplies
{
    public const string NothingChangedComment =
        "Request didn't affect anything or your user doesn't have privilege to perform this action";

    public static PersistRc Denied(DbdMessageType request) =>
        PersistRc.Failure(request, SlurmError.AccessDenied, Privileges.NoPrivilegeComment);

    /// <summary>DBD_ADD_*: PERSIST_RC, with the family's own text (none for some) for failures other than 2002.</summary>
    public static PersistRc Added(DbdMessageType request, int returnCode, string? failureComment) => returnCode switch
    {
        SlurmError.Success => PersistRc.Ok(request),
        SlurmError.AccessDenied => Denied(request),
        _ => PersistRc.Failure(request, returnCode, failureComment),
    };

    /// <summary>DBD_MODIFY_*: the changed names, or a PERSIST_RC when nothing could be changed.</summary>
    public static IDbdMessage Modified(DbdMessageType request, ModifyResult result) => result.Names is { } names
        ? new GotListMessage(names)
        : result.ErrorCode switch
        {
            SlurmError.NoChangeInData => PersistRc.Failure(request, SlurmError.Success, NothingChangedComment),
            SlurmError.AccessDenied => Denied(request),
            SlurmError.Error => PersistRc.Failure(request, SlurmError.Error, "Something was wrong with your query"),
            var code => PersistRc.Failure(request, code, SlurmError.Describe(code)),
        };

    /// <summary>DBD_REMOVE_*: the removed names (or the blocking jobs) with the storage's return code.</summary>
    public static IDbdMessage Removed(RemoveResult result) => new GotListMessage(result.Lines, result.ReturnCode);
}
