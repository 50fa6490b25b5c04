using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>
/// slurmdb_account_cond_t (slurmdb_pack_account_cond; records spec §6.1). The account names to match
/// travel in the association condition's account list; its other fields only matter with WithAssocs.
/// </summary>
public sealed record AccountCondition : IWireRecord<AccountCondition>
{
    public AssociationCondition AssociationCondition { get; init; } = new();
    public List<string>? DescriptionList { get; init; }
    public List<string>? OrganizationList { get; init; }
    public ushort WithAssocs { get; init; }
    public ushort WithCoords { get; init; }
    public ushort WithDeleted { get; init; }

    public void Pack(SlurmWriter writer)
    {
        AssociationCondition.Pack(writer);
        writer.WriteStringList(DescriptionList);
        writer.WriteStringList(OrganizationList);
        writer.WriteU16(WithAssocs);
        writer.WriteU16(WithCoords);
        writer.WriteU16(WithDeleted);
    }

    public static AccountCondition Unpack(ref SlurmReader reader) => new()
    {
        AssociationCondition = AssociationCondition.Unpack(ref reader),
        DescriptionList = reader.ReadStringList(),
        OrganizationList = reader.ReadStringList(),
        WithAssocs = reader.ReadU16(),
        WithCoords = reader.ReadU16(),
        WithDeleted = reader.ReadU16(),
    };
}
