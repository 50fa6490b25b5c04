using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>DBD_GOT_STATS: a bare stats record, not wrapped in a list (wire spec §8.7).</summary>
public sealed record StatsMessage(StatsRecord Stats) : IDbdMessage
{
    public DbdMessageType Type => DbdMessageType.GotStats;

    public void PackBody(SlurmWriter writer, ushort protocolVersion) => Stats.Pack(writer);

    public static StatsMessage Unpack(ref SlurmReader reader) => new(StatsRecord.Unpack(ref reader));
}
