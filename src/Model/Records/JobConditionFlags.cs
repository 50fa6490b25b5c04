namespace Accounting.Model.Records;

/// <summary>JOBCOND_FLAG_*, the bits of <see cref="JobCondition.Flags"/> (slurm/slurmdb.h; records spec §8.1, §8.5).</summary>
public static class JobConditionFlags
{
    /// <summary>Every stored record of a job id, requeued and revoked ones included (sacct -D).</summary>
    public const uint Duplicates = 0x1;
    /// <summary>No steps (sacct -X).</summary>
    public const uint NoStep = 0x2;
    /// <summary>Times are not clamped to the window; sacct's default, cleared by -T.</summary>
    public const uint NoTruncate = 0x4;
    /// <summary>Only jobs without an end time; operators only (sacctmgr show runawayjobs).</summary>
    public const uint Runaway = 0x8;
    public const uint WholeHetJob = 0x10;
    public const uint NoWholeHetJob = 0x20;
    /// <summary>Only for DBD_MODIFY_JOB.</summary>
    public const uint NoWait = 0x40;
    /// <summary>No default time window.</summary>
    public const uint NoDefaultUsage = 0x80;
    /// <summary>Return the batch script (needs a step list).</summary>
    public const uint Script = 0x100;
    /// <summary>Return the environment (needs a step list).</summary>
    public const uint Env = 0x200;
}
