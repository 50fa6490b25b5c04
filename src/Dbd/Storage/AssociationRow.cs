namespace Accounting.Dbd.Storage;

/// <summary>One row of the assoc table as stored: NULL limits are "not set here".</summary>
public sealed class AssociationRow
{
    public uint ClusterId { get; init; }
    public string ClusterName { get; init; } = "";
    public uint IdAssoc { get; init; }
    public bool Deleted { get; init; }
    public bool IsDef { get; init; }
    public string User { get; init; } = "";
    public string Acct { get; init; } = "";
    public string Partition { get; init; } = "";
    public string ParentAcct { get; init; } = "";
    public int Lft { get; init; }
    public int Rgt { get; init; }
    public uint Shares { get; init; } = 1;
    public uint? MaxJobs { get; init; }
    public uint? MaxJobsAccrue { get; init; }
    public uint? MinPrioThresh { get; init; }
    public uint? MaxSubmitJobs { get; init; }
    public string MaxTresPj { get; init; } = "";
    public string MaxTresPn { get; init; } = "";
    public string MaxTresMinsPj { get; init; } = "";
    public string MaxTresRunMins { get; init; } = "";
    public uint? MaxWallPj { get; init; }
    public uint? GrpJobs { get; init; }
    public uint? GrpJobsAccrue { get; init; }
    public uint? GrpSubmitJobs { get; init; }
    public string GrpTres { get; init; } = "";
    public string GrpTresMins { get; init; } = "";
    public string GrpTresRunMins { get; init; } = "";
    public uint? GrpWall { get; init; }
    public uint? Priority { get; init; }
    public uint? DefQosId { get; init; }
    public string Qos { get; init; } = "";
    public string DeltaQos { get; init; } = "";

    public bool IsAccountAssociation => User.Length == 0;
}
