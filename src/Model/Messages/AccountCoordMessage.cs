using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// "acct-coord msg" (dbd_acct_coord_msg_t, _pack_acct_coord_msg; records spec §1.1, wire spec §8.6):
/// DBD_ADD_ACCOUNT_COORDS / DBD_REMOVE_ACCOUNT_COORDS, the accounts and a user condition selecting the
/// coordinators. Unlike every other list the account count is 0, not NO_VAL, when there is no list, and
/// the reference decoder makes no list for 0: so an empty list and no list are the same here.
/// </summary>
public sealed record AccountCoordMessage(DbdMessageType Type, List<string>? AccountList, UserCondition Condition) : IDbdMessage
{
    public void PackBody(SlurmWriter writer, ushort protocolVersion)
    {
        writer.WriteU32((uint)(AccountList?.Count ?? 0));
        foreach (string account in AccountList ?? [])
            writer.WriteString(account);
        Condition.Pack(writer);
    }

    public static AccountCoordMessage Unpack(DbdMessageType type, ref SlurmReader reader)
    {
        int at = reader.Position;
        // NO_VAL is not "no list" here: the reference would try to read that many names and fail.
        int count = reader.ReadListCount(4) ?? throw new WireFormatException(at, "account count NO_VAL");
        List<string>? accounts = null;
        if (count > 0)
        {
            accounts = new List<string>(count);
            for (int i = 0; i < count; i++)
                accounts.Add(reader.ReadString() ?? "");
        }
        return new AccountCoordMessage(type, accounts, UserCondition.Unpack(ref reader));
    }
}
