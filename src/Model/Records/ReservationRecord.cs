using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>
/// slurmdb_reservation_rec_t (slurmdb_pack_reservation_rec; wire spec §9.11, records spec §11.4): the body
/// of DBD_ADD/MODIFY/REMOVE_RESV and the records of DBD_GOT_RESVS. The defaults are the NULL form.
/// </summary>
public sealed record ReservationRecord : IListRecord<ReservationRecord>
{
    /// <summary>Six NULL strings, a u64, a u32, three times, a NO_VAL list count, a double.</summary>
    public static int MinimumPackedSize => 6 * 4 + 8 + 4 + 3 * 8 + 4 + 8;

    /// <summary>Comma-separated association ids.</summary>
    public string? Assocs { get; init; }
    public string? Cluster { get; init; }
    public ulong Flags { get; init; } = SlurmValues.NoVal64;
    public uint Id { get; init; } = SlurmValues.NoVal;
    public string? Name { get; init; }
    public string? Nodes { get; init; }
    public string? NodeIndexes { get; init; }
    public long TimeEnd { get; init; }
    public long TimeStart { get; init; }
    /// <summary>The start the row was stored under; MODIFY finds the row by it.</summary>
    public long TimeStartPrev { get; init; }
    public string? TresString { get; init; }
    public List<TresRecord>? TresList { get; init; }
    public double UnusedWall { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteString(Assocs);
        writer.WriteString(Cluster);
        writer.WriteU64(Flags);
        writer.WriteU32(Id);
        writer.WriteString(Name);
        writer.WriteString(Nodes);
        writer.WriteString(NodeIndexes);
        writer.WriteTime(TimeEnd);
        writer.WriteTime(TimeStart);
        writer.WriteTime(TimeStartPrev);
        writer.WriteString(TresString);
        writer.WriteList(TresList);
        writer.WriteDouble(UnusedWall);
    }

    public static ReservationRecord Unpack(ref SlurmReader reader) => new()
    {
        Assocs = reader.ReadString(),
        Cluster = reader.ReadString(),
        Flags = reader.ReadU64(),
        Id = reader.ReadU32(),
        Name = reader.ReadString(),
        Nodes = reader.ReadString(),
        NodeIndexes = reader.ReadString(),
        TimeEnd = reader.ReadTime(),
        TimeStart = reader.ReadTime(),
        TimeStartPrev = reader.ReadTime(),
        TresString = reader.ReadString(),
        TresList = reader.ReadList<TresRecord>(),
        UnusedWall = reader.ReadDouble(),
    };
}

/// <summary>slurmdb_reservation_cond_t (slurmdb_pack_reservation_cond; records spec §11.4), the body of DBD_GET_RESVS.</summary>
public sealed record ReservationCondition : IWireRecord<ReservationCondition>
{
    public List<string>? ClusterList { get; init; }
    public ulong Flags { get; init; }
    public List<string>? FormatList { get; init; }
    public List<string>? IdList { get; init; }
    public List<string>? NameList { get; init; }
    public string? Nodes { get; init; }
    public long TimeEnd { get; init; }
    public long TimeStart { get; init; }
    public ushort WithUsage { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteStringList(ClusterList);
        writer.WriteU64(Flags);
        writer.WriteStringList(FormatList);
        writer.WriteStringList(IdList);
        writer.WriteStringList(NameList);
        writer.WriteString(Nodes);
        writer.WriteTime(TimeEnd);
        writer.WriteTime(TimeStart);
        writer.WriteU16(WithUsage);
    }

    public static ReservationCondition Unpack(ref SlurmReader reader) => new()
    {
        ClusterList = reader.ReadStringList(),
        Flags = reader.ReadU64(),
        FormatList = reader.ReadStringList(),
        IdList = reader.ReadStringList(),
        NameList = reader.ReadStringList(),
        Nodes = reader.ReadString(),
        TimeEnd = reader.ReadTime(),
        TimeStart = reader.ReadTime(),
        WithUsage = reader.ReadU16(),
    };
}
