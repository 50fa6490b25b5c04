using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>
/// slurm_selected_step_t (slurm_pack_selected_step; records spec §2.5): a job, or one of its steps, array
/// tasks or het components. The step id triple is packed job, step, het component; NO_VAL means "any".
/// </summary>
public sealed record SelectedStep(uint JobId, uint StepId, uint StepHetComponent, uint ArrayTaskId, uint HetJobOffset)
    : IListRecord<SelectedStep>
{
    public static int MinimumPackedSize => 20;

    public void Pack(SlurmWriter writer)
    {
        writer.WriteU32(JobId);
        writer.WriteU32(StepId);
        writer.WriteU32(StepHetComponent);
        writer.WriteU32(ArrayTaskId);
        writer.WriteU32(HetJobOffset);
    }

    public static SelectedStep Unpack(ref SlurmReader reader) =>
        new(reader.ReadU32(), reader.ReadU32(), reader.ReadU32(), reader.ReadU32(), reader.ReadU32());
}
