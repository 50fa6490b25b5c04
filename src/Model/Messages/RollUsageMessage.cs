using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// DBD_ROLL_USAGE (dbd_roll_usage_msg_t; records spec §1.1, §10.1): sacctmgr roll [start [end [archive]]].
/// The end is packed before the start.
/// </summary>
public sealed record RollUsageMessage(ushort ArchiveData, long End, long Start) : IDbdMessage
{
    public DbdMessageType Type => DbdMessageType.RollUsage;

    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        writer.WriteU16(ArchiveData);
        writer.WriteTime(End);
        writer.WriteTime(Start);
    }

    public static RollUsageMessage Unpack(ref SlurmReader reader) =>
        new(reader.ReadU16(), reader.ReadTime(), reader.ReadTime());
}
