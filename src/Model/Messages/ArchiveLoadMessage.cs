using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>DBD_ARCHIVE_LOAD: a bare archive record, neither a condition nor a list (slurmdbd_pack.c pack_slurmdbd_msg).</summary>
public sealed record ArchiveLoadMessage(ArchiveRecord Record) : IDbdMessage
{
    public DbdMessageType Type => DbdMessageType.ArchiveLoad;

    public void PackBody(SlurmWriter writer, ushort protocolVersion) => Record.Pack(writer);

    public static ArchiveLoadMessage Unpack(ref SlurmReader reader) => new(ArchiveRecord.Unpack(ref reader));
}
