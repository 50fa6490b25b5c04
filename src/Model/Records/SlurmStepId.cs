using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>
/// slurm_step_id_t as pack_step_id puts it on the wire: job_id, step_id, step_het_comp (records spec §2.5;
/// the C struct declares step_het_comp second, the packer sends it last). step_het_comp is NO_VAL outside
/// heterogeneous steps.
/// </summary>
public sealed record SlurmStepId(uint JobId, uint StepId, uint StepHetComponent) : IWireRecord<SlurmStepId>
{
    public const int PackedSize = 12;

    /// <summary>The special step numbers of wire spec Appendix C; normal steps count from 0.</summary>
    public const uint InteractiveStep = 0xFFFFFFFA;
    public const uint BatchScript = 0xFFFFFFFB;
    public const uint ExternContainer = 0xFFFFFFFC;
    public const uint PendingStep = 0xFFFFFFFD;

    public void Pack(SlurmWriter writer)
    {
        writer.WriteU32(JobId);
        writer.WriteU32(StepId);
        writer.WriteU32(StepHetComponent);
    }

    public static SlurmStepId Unpack(ref SlurmReader reader) => new(reader.ReadU32(), reader.ReadU32(), reader.ReadU32());
}
