using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>
/// slurmdb_user_cond_t (slurmdb_pack_user_cond; records spec §6.3). The user names to match travel in the
/// association condition's user list. without_defaults exists in the C struct but is not packed.
/// </summary>
public sealed record UserCondition : IWireRecord<UserCondition>
{
    /// <summary>NotSet matches every level.</summary>
    public AdminLevel AdminLevel { get; init; }
    public AssociationCondition AssociationCondition { get; init; } = new();
    public List<string>? DefaultAccountList { get; init; }
    public List<string>? DefaultWckeyList { get; init; }
    public ushort WithAssocs { get; init; }
    public ushort WithCoords { get; init; }
    public ushort WithDeleted { get; init; }
    public ushort WithWckeys { get; init; }

    public void Pack(SlurmWriter writer)
    {
        writer.WriteU16((ushort)AdminLevel);
        AssociationCondition.Pack(writer);
        writer.WriteStringList(DefaultAccountList);
        writer.WriteStringList(DefaultWckeyList);
        writer.WriteU16(WithAssocs);
        writer.WriteU16(WithCoords);
        writer.WriteU16(WithDeleted);
        writer.WriteU16(WithWckeys);
    }

    public static UserCondition Unpack(ref SlurmReader reader) => new()
    {
        AdminLevel = (AdminLevel)reader.ReadU16(),
        AssociationCondition = AssociationCondition.Unpack(ref reader),
        DefaultAccountList = reader.ReadStringList(),
        DefaultWckeyList = reader.ReadStringList(),
        WithAssocs = reader.ReadU16(),
        WithCoords = reader.ReadU16(),
        WithDeleted = reader.ReadU16(),
        WithWckeys = reader.ReadU16(),
    };
}
