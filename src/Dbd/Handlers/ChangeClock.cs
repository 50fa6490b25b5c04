using Accounting.Dbd.Authorization;
using Accounting.Dbd.Storage;

namespace Accounting.Dbd.Handlers;

/// <summary>Makes the who-and-when of a change from the request: uid_to_string of the connection's uid.</summary>
public sealed class ChangeClock(TimeProvider clock)
{
    public ChangeContext For(RequestContext context) => new(
        UnixUsers.NameOf(context.Connection.Uid) ?? context.Connection.Uid.ToString(),
        clock.GetUtcNow().ToUnixTimeSeconds());
}
