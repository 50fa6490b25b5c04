using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>
/// slurmdb_account_rec_t (slurmdb_pack_account_rec; records spec §6.2). On ADD the association list holds
/// the associations to create with the account; a default instance packs as the reference NULL form.
/// </summary>
public sealed record AccountRecord : IListRecord<AccountRecord>
{
    /// <summary>SLURMDB_ACCT_FLAG_DELETED.</summary>
    public const uint FlagDeleted = 0x1;

    /// <summary>Two list counts, three NULL strings and the flags.</summary>
    public static int MinimumPackedSize => 24;

    public List<AssociationRecord>? AssociationList { get; init; }
    public List<CoordinatorRecord>? Coordinators { get; init; }
    public string? Description { get; init; }
    public uint Flags { get; init; }
    public string? Name { get; init; }
    public string? Organization { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteList(AssociationList);
        writer.WriteList(Coordinators);
        writer.WriteString(Description);
        writer.WriteU32(Flags);
        writer.WriteString(Name);
        writer.WriteString(Organization);
    }

    public static AccountRecord Unpack(ref SlurmReader reader) => new()
    {
        AssociationList = reader.ReadList<AssociationRecord>(),
        Coordinators = reader.ReadList<CoordinatorRecord>(),
        Description = reader.ReadString(),
        Flags = reader.ReadU32(),
        Name = reader.ReadString(),
        Organization = reader.ReadString(),
    };
}
