namespace Accounting.Dbd.Authentication;

/// <summary>Who sent the init, or why we refuse to believe it.</summary>
public sealed record AuthenticationResult(bool Succeeded, uint Uid, uint Gid, string Failure)
{
    public static AuthenticationResult Accepted(uint uid, uint gid) => new(true, uid, gid, "");

    public static AuthenticationResult Refused(string reason) => new(false, 0, 0, reason);
}
