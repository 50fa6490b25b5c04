using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>persist_conn_type_t (src/common/slurm_persist_conn.h).</summary>
public enum PersistConnectionType : ushort
{
    None = 0,
    Dbd = 1,
    Federation = 2,
    HaController = 3,
    HaDbd = 4,
}

/// <summary>The body of REQUEST_PERSIST_INIT (persist_init_req_msg_t; wire spec §5.1).</summary>
public sealed record PersistInitRequest(ushort Version, string? ClusterName, PersistConnectionType PersistType, ushort Port)
{
    public void Pack(SlurmWriter writer)
    {
        writer.WriteU16(Version);
        writer.WriteString(ClusterName);
        writer.WriteU16((ushort)PersistType);
        writer.WriteU16(Port);
    }

    public static PersistInitRequest Unpack(ref SlurmReader reader)
    {
        int at = reader.Position;
        ushort version = reader.ReadU16();
        if (version < ProtocolVersion.Slurm2011)
            throw new WireFormatException(at, $"persist init version {version} is older than 20.11");
        return new PersistInitRequest(version, reader.ReadString(), (PersistConnectionType)reader.ReadU16(), reader.ReadU16());
    }
}
