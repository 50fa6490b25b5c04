using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

public static partial class DbdMessageDecoder
{
    /// <summary>Messages of slurmctld and their replies (wire spec §9), and the job queries of sacct.</summary>
    private static IDbdMessage? DecodeController(DbdMessageType type, ref SlurmReader reader) => type switch
    {
        DbdMessageType.RegisterCtld => RegisterCtldMessage.Unpack(ref reader),
        DbdMessageType.ClusterTres or DbdMessageType.FlushJobs => ClusterTresMessage.Unpack(type, ref reader),
        DbdMessageType.NodeState => NodeStateMessage.Unpack(ref reader),
        DbdMessageType.JobStart => JobStartMessage.Unpack(ref reader),
        DbdMessageType.IdRc => IdReturnCode.Unpack(ref reader),
        DbdMessageType.JobComplete => JobCompleteMessage.Unpack(ref reader),
        DbdMessageType.JobSuspend => JobSuspendMessage.Unpack(ref reader),
        DbdMessageType.JobHeavy => JobHeavyMessage.Unpack(ref reader),
        DbdMessageType.StepStart => StepStartMessage.Unpack(ref reader),
        DbdMessageType.StepComplete => StepCompleteMessage.Unpack(ref reader),
        DbdMessageType.SendMultJobStart => ListMessage<JobStartMessage>.Unpack(type, ref reader),
        DbdMessageType.GotMultJobStart => ListMessage<IdReturnCode>.Unpack(type, ref reader),
        DbdMessageType.SendMultMsg or DbdMessageType.GotMultMsg => MultMessage.Unpack(type, ref reader),
        DbdMessageType.AddResv or DbdMessageType.ModifyResv or DbdMessageType.RemoveResv =>
            RecordMessage<ReservationRecord>.Unpack(type, ref reader),
        DbdMessageType.GetResvs => ConditionMessage<ReservationCondition>.Unpack(type, ref reader),
        DbdMessageType.GotResvs => ListMessage<ReservationRecord>.Unpack(type, ref reader),
        DbdMessageType.GetJobsCond => ConditionMessage<JobCondition>.Unpack(type, ref reader),
        DbdMessageType.GotJobs or DbdMessageType.FixRunawayJob => ListMessage<JobRecord>.Unpack(type, ref reader),
        _ => null,
    };
}
