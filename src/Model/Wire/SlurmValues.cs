namespace Accounting.Model.Wire;

/// <summary>Slurm's sentinel numbers (slurm/slurm.h; wire spec §6.5).</summary>
public static class SlurmValues
{
    public const byte NoVal8 = 0xFE;
    public const byte Infinite8 = 0xFF;
    public const ushort NoVal16 = 0xFFFE;
    public const ushort Infinite16 = 0xFFFF;
    public const uint NoVal = 0xFFFFFFFE;
    public const uint Infinite = 0xFFFFFFFF;
    public const ulong NoVal64 = 0xFFFFFFFFFFFFFFFE;
    public const ulong Infinite64 = 0xFFFFFFFFFFFFFFFF;

    /// <summary>MAX_MSG_SIZE and MAX_PACK_MEM_LEN (src/common/pack.h): 1 GiB.</summary>
    public const int MaxMessageSize = 0x40000000;
}
