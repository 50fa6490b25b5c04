using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>slurmdb_update_type_t (slurm/slurmdb.h): what kind of change an update object carries.</summary>
public enum UpdateType : ushort
{
    NotSet = 0,
    AddUser = 1,
    AddAssoc = 2,
    AddCoord = 3,
    ModifyUser = 4,
    ModifyAssoc = 5,
    RemoveUser = 6,
    RemoveAssoc = 7,
    RemoveCoord = 8,
    AddQos = 9,
    RemoveQos = 10,
    ModifyQos = 11,
    AddWckey = 12,
    RemoveWckey = 13,
    ModifyWckey = 14,
    AddCluster = 15,
    RemoveCluster = 16,
    RemoveAssocUsage = 17,
    AddRes = 18,
    RemoveRes = 19,
    ModifyRes = 20,
    RemoveQosUsage = 21,
    AddTres = 22,
    UpdateFeds = 23,
    /// <summary>DBD_GOT_STATS reused as an update type: the objects are stats records.</summary>
    GotStats = 1490,
}

/// <summary>
/// slurmdb_update_object_t (slurmdb_pack_update_object; records spec §11.8): u16 type, then u32 count
/// (NO_VAL = no list) and the records the type implies. ADD_CLUSTER and REMOVE_CLUSTER are the bare type.
/// </summary>
public abstract record UpdateObject(UpdateType Type) : IListRecord<UpdateObject>
{
    /// <summary>A cluster update is only its u16 type.</summary>
    public static int MinimumPackedSize => 2;

    public abstract void Pack(SlurmWriter writer);

    /// <summary>The record type an update type carries, or null for the two cluster updates.</summary>
    public static Type? RecordTypeOf(UpdateType type) => type switch
    {
        UpdateType.AddUser or UpdateType.ModifyUser or UpdateType.RemoveUser
            or UpdateType.AddCoord or UpdateType.RemoveCoord => typeof(UserRecord),
        UpdateType.AddAssoc or UpdateType.ModifyAssoc or UpdateType.RemoveAssoc
            or UpdateType.RemoveAssocUsage => typeof(AssociationRecord),
        UpdateType.AddQos or UpdateType.ModifyQos or UpdateType.RemoveQos
            or UpdateType.RemoveQosUsage => typeof(QosRecord),
        UpdateType.AddWckey or UpdateType.ModifyWckey or UpdateType.RemoveWckey => typeof(WckeyRecord),
        UpdateType.AddRes or UpdateType.ModifyRes or UpdateType.RemoveRes => typeof(ResourceRecord),
        UpdateType.AddTres => typeof(TresRecord),
        UpdateType.UpdateFeds => typeof(FederationRecord),
        UpdateType.GotStats => typeof(StatsRecord),
        _ => null,
    };

    public static UpdateObject Unpack(ref SlurmReader reader)
    {
        int at = reader.Position;
        var type = (UpdateType)reader.ReadU16();
        return RecordTypeOf(type) switch
        {
            null when type is UpdateType.AddCluster or UpdateType.RemoveCluster => new ClusterUpdateObject(type),
            var t when t == typeof(UserRecord) => UpdateObject<UserRecord>.UnpackRecords(type, ref reader),
            var t when t == typeof(AssociationRecord) => UpdateObject<AssociationRecord>.UnpackRecords(type, ref reader),
            var t when t == typeof(QosRecord) => UpdateObject<QosRecord>.UnpackRecords(type, ref reader),
            var t when t == typeof(WckeyRecord) => UpdateObject<WckeyRecord>.UnpackRecords(type, ref reader),
            var t when t == typeof(ResourceRecord) => UpdateObject<ResourceRecord>.UnpackRecords(type, ref reader),
            var t when t == typeof(TresRecord) => UpdateObject<TresRecord>.UnpackRecords(type, ref reader),
            var t when t == typeof(FederationRecord) => UpdateObject<FederationRecord>.UnpackRecords(type, ref reader),
            var t when t == typeof(StatsRecord) => UpdateObject<StatsRecord>.UnpackRecords(type, ref reader),
            // The reference unpacker fails the whole message on a type it does not know.
            _ => throw new WireFormatException(at, $"unknown update object type {(ushort)type}"),
        };
    }
}

/// <summary>An update object with its records; the type must be one that carries <typeparamref name="TRecord"/>.</summary>
public sealed record UpdateObject<TRecord> : UpdateObject where TRecord : IListRecord<TRecord>
{
    public UpdateObject(UpdateType type, List<TRecord>? records) : base(type)
    {
        if (RecordTypeOf(type) != typeof(TRecord))
            throw new ArgumentException($"update type {type} does not carry {typeof(TRecord).Name}", nameof(type));
        Records = records;
    }

    public List<TRecord>? Records { get; }

    public override void Pack(SlurmWriter writer)
    {
        writer.WriteU16((ushort)Type);
        writer.WriteList(Records);
    }

    internal static UpdateObject<TRecord> UnpackRecords(UpdateType type, ref SlurmReader reader) =>
        new(type, reader.ReadList<TRecord>());
}

/// <summary>SLURMDB_ADD_CLUSTER / SLURMDB_REMOVE_CLUSTER: only the type travels; slurmctld refreshes its cluster list.</summary>
public sealed record ClusterUpdateObject : UpdateObject
{
    public ClusterUpdateObject(UpdateType type) : base(type)
    {
        if (type is not (UpdateType.AddCluster or UpdateType.RemoveCluster))
            throw new ArgumentException($"update type {type} is not a cluster update", nameof(type));
    }

    public override void Pack(SlurmWriter writer) => writer.WriteU16((ushort)Type);
}
