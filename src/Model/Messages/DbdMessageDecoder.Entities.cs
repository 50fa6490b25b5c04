using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

public static partial class DbdMessageDecoder
{
    /// <summary>
    /// Accounts, users, coordinators, associations, QOS, TRES, wckeys, system resources, events, transactions,
    /// usage and archives (records spec §1.1, §5–6, §10.4, §11).
    /// </summary>
    private static IDbdMessage? DecodeEntities(DbdMessageType type, ref SlurmReader reader) => type switch
    {
        DbdMessageType.GetTres => ConditionMessage<TresCondition>.Unpack(type, ref reader),
        DbdMessageType.GotTres or DbdMessageType.AddTres => ListMessage<TresRecord>.Unpack(type, ref reader),
        DbdMessageType.GetQos => ConditionMessage<QosCondition>.Unpack(type, ref reader),
        DbdMessageType.GotQos or DbdMessageType.AddQos => ListMessage<QosRecord>.Unpack(type, ref reader),
        DbdMessageType.GetAssocs => ConditionMessage<AssociationCondition>.Unpack(type, ref reader),
        DbdMessageType.GotAssocs => ListMessage<AssociationRecord>.Unpack(type, ref reader),
        DbdMessageType.GetAccounts or DbdMessageType.RemoveAccounts => ConditionMessage<AccountCondition>.Unpack(type, ref reader),
        DbdMessageType.GotAccounts or DbdMessageType.AddAccounts => ListMessage<AccountRecord>.Unpack(type, ref reader),
        DbdMessageType.ModifyAccounts => ModifyMessage<AccountCondition, AccountRecord>.Unpack(type, ref reader),
        DbdMessageType.GetUsers or DbdMessageType.RemoveUsers => ConditionMessage<UserCondition>.Unpack(type, ref reader),
        DbdMessageType.GotUsers or DbdMessageType.AddUsers => ListMessage<UserRecord>.Unpack(type, ref reader),
        DbdMessageType.ModifyUsers => ModifyMessage<UserCondition, UserRecord>.Unpack(type, ref reader),
        DbdMessageType.AddAccountCoords or DbdMessageType.RemoveAccountCoords => AccountCoordMessage.Unpack(type, ref reader),
        // DBD_MODIFY_WCKEYS has a handler but no layout in 22.05 (records spec §1.6): it fails like an unknown type.
        DbdMessageType.GetWckeys or DbdMessageType.RemoveWckeys => ConditionMessage<WckeyCondition>.Unpack(type, ref reader),
        DbdMessageType.GotWckeys or DbdMessageType.AddWckeys => ListMessage<WckeyRecord>.Unpack(type, ref reader),
        DbdMessageType.GetRes or DbdMessageType.RemoveRes => ConditionMessage<ResourceCondition>.Unpack(type, ref reader),
        DbdMessageType.GotRes or DbdMessageType.AddRes => ListMessage<ResourceRecord>.Unpack(type, ref reader),
        DbdMessageType.ModifyRes => ModifyMessage<ResourceCondition, ResourceRecord>.Unpack(type, ref reader),
        DbdMessageType.GetProbs or DbdMessageType.RemoveAssocs => ConditionMessage<AssociationCondition>.Unpack(type, ref reader),
        DbdMessageType.GotProbs or DbdMessageType.AddAssocs => ListMessage<AssociationRecord>.Unpack(type, ref reader),
        DbdMessageType.ModifyAssocs => ModifyMessage<AssociationCondition, AssociationRecord>.Unpack(type, ref reader),
        DbdMessageType.RemoveQos => ConditionMessage<QosCondition>.Unpack(type, ref reader),
        DbdMessageType.ModifyQos => ModifyMessage<QosCondition, QosRecord>.Unpack(type, ref reader),
        DbdMessageType.GetEvents => ConditionMessage<EventCondition>.Unpack(type, ref reader),
        DbdMessageType.GotEvents => ListMessage<EventRecord>.Unpack(type, ref reader),
        DbdMessageType.GetTxn => ConditionMessage<TransactionCondition>.Unpack(type, ref reader),
        DbdMessageType.GotTxn => ListMessage<TransactionRecord>.Unpack(type, ref reader),
        DbdMessageType.RollUsage => RollUsageMessage.Unpack(ref reader),
        DbdMessageType.GetAssocUsage or DbdMessageType.GotAssocUsage => UsageMessage<AssociationRecord>.Unpack(type, ref reader),
        DbdMessageType.GetClusterUsage or DbdMessageType.GotClusterUsage => UsageMessage<ClusterRecord>.Unpack(type, ref reader),
        DbdMessageType.GetWckeyUsage or DbdMessageType.GotWckeyUsage => UsageMessage<WckeyRecord>.Unpack(type, ref reader),
        DbdMessageType.ArchiveDump => ConditionMessage<ArchiveCondition>.Unpack(type, ref reader),
        DbdMessageType.ArchiveLoad => ArchiveLoadMessage.Unpack(ref reader),
        _ => null,
    };
}
