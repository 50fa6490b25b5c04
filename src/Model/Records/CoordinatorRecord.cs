using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>
/// slurmdb_coord_rec_t (slurmdb_pack_coord_rec; records spec §2.4): an account a user coordinates.
/// Direct is 1 when assigned to that account, 0 when inherited from a parent account.
/// </summary>
public sealed record CoordinatorRecord(string? Name, ushort Direct) : IListRecord<CoordinatorRecord>
{
    public static int MinimumPackedSize => 6;

    public void Pack(SlurmWriter writer)
    {
        writer.WriteString(Name);
        writer.WriteU16(Direct);
    }

    public static CoordinatorRecord Unpack(ref SlurmReader reader) => new(reader.ReadString(), reader.ReadU16());
}
