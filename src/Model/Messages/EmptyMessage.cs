using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>DBD_GET_STATS, DBD_CLEAR_STATS, DBD_RECONFIG, DBD_SHUTDOWN: a type and nothing else.</summary>
public sealed record EmptyMessage(DbdMessageType Type) : IDbdMessage
{
    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
    }
}
