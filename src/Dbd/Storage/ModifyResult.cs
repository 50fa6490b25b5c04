using Accounting.Model.Wire;

namespace Accounting.Dbd.Storage;

/// <summary>
/// What a modify did, in the terms proc_req.c answers with: names of what changed, "nothing to change"
/// (NULL + SLURM_NO_CHANGE_IN_DATA), or a failure code (records spec §1.4).
/// </summary>
public sealed record ModifyResult(List<string>? Names, int ErrorCode)
{
    public static readonly ModifyResult NothingToChange = new(null, SlurmError.NoChangeInData);

    public static ModifyResult Changed(List<string> names) => new(names, names.Count == 0 ? SlurmError.NoChangeInData : SlurmError.Success);

    public static ModifyResult Failed(int errorCode) => new(null, errorCode);
}

/// <summary>What a remove did: the names removed (or the blocking jobs), and DBD_GOT_LIST's return code.</summary>
public sealed record RemoveResult(List<string> Lines, int ReturnCode);
