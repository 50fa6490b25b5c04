using Accounting.Model.Messages;

namespace Accounting.Dbd.Authentication;

/// <summary>
/// AuthType=auth/none: the client's own claim of uid and gid is taken as is, like Slurm's auth_none.
/// A credential of another plugin does not unpack there, so it is refused here too.
/// </summary>
public sealed class NoneCredentialVerifier : ICredentialVerifier
{
    public AuthenticationResult Verify(PersistInitMessage init) => init.Credential is NoneCredential none
        ? AuthenticationResult.Accepted(none.Uid, none.Gid)
        : AuthenticationResult.Refused($"auth/none configured but the client sent a {init.Credential.Plugin} credential");
}
