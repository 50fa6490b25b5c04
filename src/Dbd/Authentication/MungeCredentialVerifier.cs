using Accounting.Model.Messages;

namespace Accounting.Dbd.Authentication;

/// <summary>
/// AuthType=auth/munge: munged vouches for the uid and gid, the payload must hash the body. Unlike
/// Debian's MULTIPLE_SLURMD build we refuse replayed credentials: every real client makes a fresh one per
/// connection, so a replay is somebody else's captured bytes.
/// </summary>
public sealed class MungeCredentialVerifier(MungeClient munge, bool blockNullHash, bool blockZeroHash) : ICredentialVerifier
{
    public AuthenticationResult Verify(PersistInitMessage init)
    {
        if (init.Credential is not MungeCredential credential)
            return AuthenticationResult.Refused($"auth/munge configured but the client sent a {init.Credential.Plugin} credential");

        var decoded = munge.Decode(credential.Credential);
        if (!decoded.Succeeded)
            return AuthenticationResult.Refused($"munge_decode: {decoded.ErrorMessage} (error {decoded.Error})");

        string? hashProblem = MessageHashCheck.Check(decoded.Payload, init.BodyBytes, init.Header.MessageType,
            init.Header.Version, blockNullHash, blockZeroHash);
        return hashProblem is null
            ? AuthenticationResult.Accepted(decoded.Uid, decoded.Gid)
            : AuthenticationResult.Refused(hashProblem);
    }
}
