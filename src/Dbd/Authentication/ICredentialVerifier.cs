using Accounting.Model.Messages;

namespace Accounting.Dbd.Authentication;

/// <summary>Checks the credential of a REQUEST_PERSIST_INIT (the only authenticated message of a connection).</summary>
public interface ICredentialVerifier
{
    AuthenticationResult Verify(PersistInitMessage init);
}
