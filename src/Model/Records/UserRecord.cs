using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>slurmdb_admin_level_t: what a user may do (records spec §1.6, §6.4).</summary>
public enum AdminLevel : ushort
{
    /// <summary>SLURMDB_ADMIN_NOTSET: "any" in conditions, stored as None on add.</summary>
    NotSet = 0,
    None = 1,
    Operator = 2,
    /// <summary>SLURMDB_ADMIN_SUPER_USER, which sacctmgr prints as "Administrator".</summary>
    SuperUser = 3,
}

/// <summary>
/// slurmdb_user_rec_t (slurmdb_pack_user_rec; records spec §6.4). On ADD the association and wckey lists
/// hold what to create with the user; OldName is only set in update objects of a rename. A default
/// instance packs as the reference NULL form.
/// </summary>
public sealed record UserRecord : IListRecord<UserRecord>
{
    /// <summary>SLURMDB_USER_FLAG_DELETED.</summary>
    public const uint FlagDeleted = 0x1;

    /// <summary>The admin level, three list counts, four NULL strings, flags and uid.</summary>
    public static int MinimumPackedSize => 38;

    public AdminLevel AdminLevel { get; init; }
    public List<AssociationRecord>? AssociationList { get; init; }
    public List<CoordinatorRecord>? CoordAccounts { get; init; }
    public string? DefaultAccount { get; init; }
    public string? DefaultWckey { get; init; }
    public uint Flags { get; init; }
    public string? Name { get; init; }
    public string? OldName { get; init; }
    public uint Uid { get; init; }
    public List<WckeyRecord>? WckeyList { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteU16((ushort)AdminLevel);
        writer.WriteList(AssociationList);
        writer.WriteList(CoordAccounts);
        writer.WriteString(DefaultAccount);
        writer.WriteString(DefaultWckey);
        writer.WriteU32(Flags);
        writer.WriteString(Name);
        writer.WriteString(OldName);
        writer.WriteU32(Uid);
        writer.WriteList(WckeyList);
    }

    public static UserRecord Unpack(ref SlurmReader reader) => new()
    {
        AdminLevel = (AdminLevel)reader.ReadU16(),
        AssociationList = reader.ReadList<AssociationRecord>(),
        CoordAccounts = reader.ReadList<CoordinatorRecord>(),
        DefaultAccount = reader.ReadString(),
        DefaultWckey = reader.ReadString(),
        Flags = reader.ReadU32(),
        Name = reader.ReadString(),
        OldName = reader.ReadString(),
        Uid = reader.ReadU32(),
        WckeyList = reader.ReadList<WckeyRecord>(),
    };
}
