using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>
/// ACCOUNTING_UPDATE_MSG (accounting_update_msg_t, _pack_accounting_update_msg; wire spec Appendix A): the
/// update objects one commit produced, pushed to every registered slurmctld. The count is 0, never NO_VAL,
/// when there is nothing; the reference unpacker always makes a list.
/// </summary>
public sealed record AccountingUpdateMessage(List<UpdateObject> Updates) : ISlurmRpcBody
{
    public SlurmMessageType Type => SlurmMessageType.AccountingUpdateMsg;

    public void Pack(SlurmWriter writer) => writer.WriteList(Updates);

    public static AccountingUpdateMessage Unpack(ref SlurmReader reader)
    {
        int at = reader.Position;
        return new AccountingUpdateMessage(reader.ReadList<UpdateObject>()
            ?? throw new WireFormatException(at, "update count NO_VAL"));
    }
}
