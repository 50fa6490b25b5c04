namespace Accounting.Model.Wire;

/// <summary>
/// Return codes used on this protocol (slurm/slurm_errno.h; wire spec Appendix B, records spec §9.6),
/// with the texts slurm_strerror() gives, because clients print whatever comment we send.
/// </summary>
public static class SlurmError
{
    public const int Success = 0;
    public const int Error = -1;
    public const int Efault = 14;
    public const int Einval = 22;
    public const int ProtocolVersionError = 1005;
    public const int ProtocolAuthenticationError = 1007;
    public const int NoChangeInData = 1900;
    public const int AccessDenied = 2002;
    public const int InvalidAccount = 2045;
    public const int InvalidParentAccount = 2046;
    public const int SameParentAccount = 2047;
    public const int InvalidQos = 2066;
    public const int QosPreemptionLoop = 2067;
    public const int ProtocolIncompletePacket = 5003;
    public const int AuthCredInvalid = 6000;
    public const int AuthUnpack = 6007;
    public const int DbConnection = 7000;
    public const int JobsRunningOnAssoc = 7001;
    public const int ClusterDeleted = 7002;
    public const int OneChange = 7003;
    public const int BadName = 7004;
    public const int ResultTooLarge = 7006;
    public const int DbQueryTooWide = 7007;
    public const int DbConnectionInvalid = 7008;
    public const int NoRemoveDefaultAccount = 7009;
    public const int FedClusterMaxCount = 7100;
    public const int FedClusterMultipleAssignment = 7101;
    public const int InvalidClusterFeature = 7102;
    public const int InvalidClusterName = 7104;
    public const int AccountingFirstRegistration = 10002;
    public const int AccountingTresChangeDb = 10004;
    public const int AccountingNodesChangeDb = 10005;

    public static string Describe(int code) => code switch
    {
        Success => "No error",
        Error => "Unspecified error",
        Efault => "Bad address",
        Einval => "Invalid argument",
        ProtocolVersionError => "Incompatible versions of client and server code",
        ProtocolAuthenticationError => "Protocol authentication error",
        NoChangeInData => "Data has not changed since time specified",
        AccessDenied => "Access/permission denied",
        InvalidAccount => "Invalid account or account/partition combination specified",
        InvalidParentAccount => "Invalid parent account specified",
        SameParentAccount => "Account already child of parent account specified",
        InvalidQos => "Invalid qos specification",
        QosPreemptionLoop => "QOS Preemption loop detected",
        ProtocolIncompletePacket => "Header lengths are longer than data received",
        AuthCredInvalid => "Invalid authentication credential",
        AuthUnpack => "Cannot unpack credential",
        DbConnection => "Unable to connect to database",
        JobsRunningOnAssoc => "Job(s) active, cancel job(s) before remove",
        ClusterDeleted => "Cluster deleted, commit/rollback immediately",
        OneChange => "Can only change one at a time",
        BadName => "Unacceptable name given. (No '.' in name allowed)",
        ResultTooLarge => "Query result exceeds size limit",
        DbQueryTooWide => "Too wide of a date range in query",
        DbConnectionInvalid => "Database connection reference is invalid",
        NoRemoveDefaultAccount => "You can not remove the default account of a user",
        FedClusterMaxCount => "Too many clusters in federation",
        FedClusterMultipleAssignment => "Clusters can only be assigned to one federation",
        InvalidClusterFeature => "Invalid cluster feature specification",
        InvalidClusterName => "Invalid cluster name",
        _ => $"Unknown error {code}",
    };
}
