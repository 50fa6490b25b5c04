using Accounting.Dbd.Authorization;
using Accounting.Model.Messages;

namespace Accounting.Dbd.Authentication;

/// <summary>Makes the credential of a message this daemon sends (its pushes to slurmctld; wire spec §4).</summary>
public interface ICredentialFactory
{
    AuthCredential Create(ReadOnlySpan<byte> body, ushort messageType);
}

/// <summary>auth/munge: a credential nobody is restricted from decoding, carrying the K12 hash of the body.</summary>
public sealed class MungeCredentialFactory(MungeClient munge) : ICredentialFactory
{
    public AuthCredential Create(ReadOnlySpan<byte> body, ushort messageType) =>
        new MungeCredential(munge.Encode(MessageHashCheck.ComputeK12Payload(body, messageType)));
}

/// <summary>auth/none: our own uid and gid, stated.</summary>
public sealed class NoneCredentialFactory : ICredentialFactory
{
    public AuthCredential Create(ReadOnlySpan<byte> body, ushort messageType) =>
        new NoneCredential(UnixUsers.EffectiveUid(), UnixUsers.EffectiveGid(), Environment.MachineName);
}
