namespace Accounting.Model.Wire;

/// <summary>Protocol versions a 22.05 slurmdbd knows (wire spec §1.1).</summary>
public static class ProtocolVersion
{
    public const ushort Slurm2205 = 9728;
    public const ushort Slurm2108 = 9472;
    public const ushort Slurm2011 = 9216;

    /// <summary>The only version whose record layouts this codec implements.</summary>
    public const ushort Current = Slurm2205;

    /// <summary>A 22.05 slurmdbd accepts exactly these in the header of the first message.</summary>
    public static bool IsAcceptedInHeader(ushort version) =>
        version is Slurm2205 or Slurm2108 or Slurm2011;
}
