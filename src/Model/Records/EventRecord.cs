using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>slurmdb_event_type_t: which events a condition asks for, and what an event is about.</summary>
public enum EventType : ushort
{
    All = 0,
    Cluster = 1,
    Node = 2,
}

/// <summary>
/// slurmdb_event_rec_t (slurmdb_pack_event_rec; records spec §11.2): a cluster registration or a node
/// state change. The period start is packed before the end. A default instance packs as the NULL form.
/// </summary>
public sealed record EventRecord : IListRecord<EventRecord>
{
    /// <summary>Five NULL strings, the u16, two times and two u32.</summary>
    public static int MinimumPackedSize => 46;

    public string? Cluster { get; init; }
    public string? ClusterNodes { get; init; }
    public EventType EventType { get; init; }
    public string? NodeName { get; init; }
    public long PeriodStart { get; init; }
    /// <summary>0 while the event is still open.</summary>
    public long PeriodEnd { get; init; }
    public string? Reason { get; init; }
    public uint ReasonUid { get; init; } = SlurmValues.NoVal;
    public uint State { get; init; } = SlurmValues.NoVal;
    public string? TresString { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteString(Cluster);
        writer.WriteString(ClusterNodes);
        writer.WriteU16((ushort)EventType);
        writer.WriteString(NodeName);
        writer.WriteTime(PeriodStart);
        writer.WriteTime(PeriodEnd);
        writer.WriteString(Reason);
        writer.WriteU32(ReasonUid);
        writer.WriteU32(State);
        writer.WriteString(TresString);
    }

    public static EventRecord Unpack(ref SlurmReader reader) => new()
    {
        Cluster = reader.ReadString(),
        ClusterNodes = reader.ReadString(),
        EventType = (EventType)reader.ReadU16(),
        NodeName = reader.ReadString(),
        PeriodStart = reader.ReadTime(),
        PeriodEnd = reader.ReadTime(),
        Reason = reader.ReadString(),
        ReasonUid = reader.ReadU32(),
        State = reader.ReadU32(),
        TresString = reader.ReadString(),
    };
}

/// <summary>
/// slurmdb_event_cond_t, 22.05 layout (slurmdb_pack_event_cond; records spec §11.1). cond_flags is new in
/// 22.05. The reference has no NULL form for this condition: clients always send a real one.
/// </summary>
public sealed record EventCondition : IWireRecord<EventCondition>
{
    /// <summary>SLURMDB_EVENT_COND_OPEN: only events that have not ended.</summary>
    public const uint CondFlagOpen = 0x1;

    public List<string>? ClusterList { get; init; }
    public uint CondFlags { get; init; }
    public uint CpusMax { get; init; }
    public uint CpusMin { get; init; }
    public EventType EventType { get; init; }
    public List<string>? FormatList { get; init; }
    public string? NodeList { get; init; }
    public long PeriodEnd { get; init; }
    public long PeriodStart { get; init; }
    public List<string>? ReasonList { get; init; }
    public List<string>? ReasonUidList { get; init; }
    public List<string>? StateList { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteStringList(ClusterList);
        writer.WriteU32(CondFlags);
        writer.WriteU32(CpusMax);
        writer.WriteU32(CpusMin);
        writer.WriteU16((ushort)EventType);
        writer.WriteStringList(FormatList);
        writer.WriteString(NodeList);
        writer.WriteTime(PeriodEnd);
        writer.WriteTime(PeriodStart);
        writer.WriteStringList(ReasonList);
        writer.WriteStringList(ReasonUidList);
        writer.WriteStringList(StateList);
    }

    public static EventCondition Unpack(ref SlurmReader reader) => new()
    {
        ClusterList = reader.ReadStringList(),
        CondFlags = reader.ReadU32(),
        CpusMax = reader.ReadU32(),
        CpusMin = reader.ReadU32(),
        EventType = (EventType)reader.ReadU16(),
        FormatList = reader.ReadStringList(),
        NodeList = reader.ReadString(),
        PeriodEnd = reader.ReadTime(),
        PeriodStart = reader.ReadTime(),
        ReasonList = reader.ReadStringList(),
        ReasonUidList = reader.ReadStringList(),
        StateList = reader.ReadStringList(),
    };
}
