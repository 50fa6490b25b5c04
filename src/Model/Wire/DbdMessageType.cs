namespace Accounting.Model.Wire;

/// <summary>
/// <c>slurmdbd_msg_type_t</c> (src/common/slurmdbd_defs.h, 22.05.8; wire spec §7.1), plus the two
/// <c>slurm_msg_type_t</c> numbers that travel on a dbd connection. Member names keep Slurm's names
/// (minus the DBD_ prefix) so the log and <c>sacctmgr show stats</c> read the same as slurmdbd's.
/// </summary>
public enum DbdMessageType : ushort
{
    /// <summary>DEFUNCT_DBD_INIT</summary>
    DefunctDbdInit = 1400,
    /// <summary>DBD_FINI</summary>
    Fini = 1401,
    /// <summary>DBD_ADD_ACCOUNTS</summary>
    AddAccounts = 1402,
    /// <summary>DBD_ADD_ACCOUNT_COORDS</summary>
    AddAccountCoords = 1403,
    /// <summary>DBD_ADD_ASSOCS</summary>
    AddAssocs = 1404,
    /// <summary>DBD_ADD_CLUSTERS</summary>
    AddClusters = 1405,
    /// <summary>DBD_ADD_USERS</summary>
    AddUsers = 1406,
    /// <summary>DBD_CLUSTER_TRES</summary>
    ClusterTres = 1407,
    /// <summary>DBD_FLUSH_JOBS</summary>
    FlushJobs = 1408,
    /// <summary>DBD_GET_ACCOUNTS</summary>
    GetAccounts = 1409,
    /// <summary>DBD_GET_ASSOCS</summary>
    GetAssocs = 1410,
    /// <summary>DBD_GET_ASSOC_USAGE</summary>
    GetAssocUsage = 1411,
    /// <summary>DBD_GET_CLUSTERS</summary>
    GetClusters = 1412,
    /// <summary>DBD_GET_CLUSTER_USAGE</summary>
    GetClusterUsage = 1413,
    /// <summary>DBD_RECONFIG</summary>
    Reconfig = 1414,
    /// <summary>DBD_GET_USERS</summary>
    GetUsers = 1415,
    /// <summary>DBD_GOT_ACCOUNTS</summary>
    GotAccounts = 1416,
    /// <summary>DBD_GOT_ASSOCS</summary>
    GotAssocs = 1417,
    /// <summary>DBD_GOT_ASSOC_USAGE</summary>
    GotAssocUsage = 1418,
    /// <summary>DBD_GOT_CLUSTERS</summary>
    GotClusters = 1419,
    /// <summary>DBD_GOT_CLUSTER_USAGE</summary>
    GotClusterUsage = 1420,
    /// <summary>DBD_GOT_JOBS</summary>
    GotJobs = 1421,
    /// <summary>DBD_GOT_LIST</summary>
    GotList = 1422,
    /// <summary>DBD_GOT_USERS</summary>
    GotUsers = 1423,
    /// <summary>DBD_JOB_COMPLETE</summary>
    JobComplete = 1424,
    /// <summary>DBD_JOB_START</summary>
    JobStart = 1425,
    /// <summary>DBD_ID_RC</summary>
    IdRc = 1426,
    /// <summary>DBD_JOB_SUSPEND</summary>
    JobSuspend = 1427,
    /// <summary>DBD_MODIFY_ACCOUNTS</summary>
    ModifyAccounts = 1428,
    /// <summary>DBD_MODIFY_ASSOCS</summary>
    ModifyAssocs = 1429,
    /// <summary>DBD_MODIFY_CLUSTERS</summary>
    ModifyClusters = 1430,
    /// <summary>DBD_MODIFY_USERS</summary>
    ModifyUsers = 1431,
    /// <summary>DBD_NODE_STATE</summary>
    NodeState = 1432,
    /// <summary>DBD_DEFUNCT_RPC_1433: reused as PERSIST_RC, the generic reply (wire spec §5.2).</summary>
    PersistRc = 1433,
    /// <summary>DBD_REGISTER_CTLD</summary>
    RegisterCtld = 1434,
    /// <summary>DBD_REMOVE_ACCOUNTS</summary>
    RemoveAccounts = 1435,
    /// <summary>DBD_REMOVE_ACCOUNT_COORDS</summary>
    RemoveAccountCoords = 1436,
    /// <summary>DBD_REMOVE_ASSOCS</summary>
    RemoveAssocs = 1437,
    /// <summary>DBD_REMOVE_CLUSTERS</summary>
    RemoveClusters = 1438,
    /// <summary>DBD_REMOVE_USERS</summary>
    RemoveUsers = 1439,
    /// <summary>DBD_ROLL_USAGE</summary>
    RollUsage = 1440,
    /// <summary>DBD_STEP_COMPLETE</summary>
    StepComplete = 1441,
    /// <summary>DBD_STEP_START</summary>
    StepStart = 1442,
    /// <summary>DBD_DEFUNCT_RPC_1443</summary>
    DefunctRpc1443 = 1443,
    /// <summary>DBD_GET_JOBS_COND</summary>
    GetJobsCond = 1444,
    /// <summary>DBD_GET_TXN</summary>
    GetTxn = 1445,
    /// <summary>DBD_GOT_TXN</summary>
    GotTxn = 1446,
    /// <summary>DBD_ADD_QOS</summary>
    AddQos = 1447,
    /// <summary>DBD_GET_QOS</summary>
    GetQos = 1448,
    /// <summary>DBD_GOT_QOS</summary>
    GotQos = 1449,
    /// <summary>DBD_REMOVE_QOS</summary>
    RemoveQos = 1450,
    /// <summary>DBD_MODIFY_QOS</summary>
    ModifyQos = 1451,
    /// <summary>DBD_ADD_WCKEYS</summary>
    AddWckeys = 1452,
    /// <summary>DBD_GET_WCKEYS</summary>
    GetWckeys = 1453,
    /// <summary>DBD_GOT_WCKEYS</summary>
    GotWckeys = 1454,
    /// <summary>DBD_REMOVE_WCKEYS</summary>
    RemoveWckeys = 1455,
    /// <summary>DBD_MODIFY_WCKEYS</summary>
    ModifyWckeys = 1456,
    /// <summary>DBD_GET_WCKEY_USAGE</summary>
    GetWckeyUsage = 1457,
    /// <summary>DBD_GOT_WCKEY_USAGE</summary>
    GotWckeyUsage = 1458,
    /// <summary>DBD_ARCHIVE_DUMP</summary>
    ArchiveDump = 1459,
    /// <summary>DBD_ARCHIVE_LOAD</summary>
    ArchiveLoad = 1460,
    /// <summary>DBD_ADD_RESV</summary>
    AddResv = 1461,
    /// <summary>DBD_REMOVE_RESV</summary>
    RemoveResv = 1462,
    /// <summary>DBD_MODIFY_RESV</summary>
    ModifyResv = 1463,
    /// <summary>DBD_GET_RESVS</summary>
    GetResvs = 1464,
    /// <summary>DBD_GOT_RESVS</summary>
    GotResvs = 1465,
    /// <summary>DBD_GET_CONFIG</summary>
    GetConfig = 1466,
    /// <summary>DBD_GOT_CONFIG</summary>
    GotConfig = 1467,
    /// <summary>DBD_GET_PROBS</summary>
    GetProbs = 1468,
    /// <summary>DBD_GOT_PROBS</summary>
    GotProbs = 1469,
    /// <summary>DBD_GET_EVENTS</summary>
    GetEvents = 1470,
    /// <summary>DBD_GOT_EVENTS</summary>
    GotEvents = 1471,
    /// <summary>DBD_SEND_MULT_JOB_START</summary>
    SendMultJobStart = 1472,
    /// <summary>DBD_GOT_MULT_JOB_START</summary>
    GotMultJobStart = 1473,
    /// <summary>DBD_SEND_MULT_MSG</summary>
    SendMultMsg = 1474,
    /// <summary>DBD_GOT_MULT_MSG</summary>
    GotMultMsg = 1475,
    /// <summary>DBD_MODIFY_JOB</summary>
    ModifyJob = 1476,
    /// <summary>DBD_ADD_RES</summary>
    AddRes = 1477,
    /// <summary>DBD_GET_RES</summary>
    GetRes = 1478,
    /// <summary>DBD_GOT_RES</summary>
    GotRes = 1479,
    /// <summary>DBD_REMOVE_RES</summary>
    RemoveRes = 1480,
    /// <summary>DBD_MODIFY_RES</summary>
    ModifyRes = 1481,
    /// <summary>DBD_ADD_CLUS_RES</summary>
    AddClusRes = 1482,
    /// <summary>DBD_REMOVE_CLUS_RES</summary>
    RemoveClusRes = 1483,
    /// <summary>DBD_MODIFY_CLUS_RES</summary>
    ModifyClusRes = 1484,
    /// <summary>DBD_ADD_TRES</summary>
    AddTres = 1485,
    /// <summary>DBD_GET_TRES</summary>
    GetTres = 1486,
    /// <summary>DBD_GOT_TRES</summary>
    GotTres = 1487,
    /// <summary>DBD_FIX_RUNAWAY_JOB</summary>
    FixRunawayJob = 1488,
    /// <summary>DBD_GET_STATS</summary>
    GetStats = 1489,
    /// <summary>DBD_GOT_STATS</summary>
    GotStats = 1490,
    /// <summary>DBD_CLEAR_STATS</summary>
    ClearStats = 1491,
    /// <summary>DBD_SHUTDOWN</summary>
    Shutdown = 1492,
    /// <summary>DBD_ADD_FEDERATIONS</summary>
    AddFederations = 1493,
    /// <summary>DBD_GET_FEDERATIONS</summary>
    GetFederations = 1494,
    /// <summary>DBD_GOT_FEDERATIONS</summary>
    GotFederations = 1495,
    /// <summary>DBD_MODIFY_FEDERATIONS</summary>
    ModifyFederations = 1496,
    /// <summary>DBD_REMOVE_FEDERATIONS</summary>
    RemoveFederations = 1497,
    /// <summary>DBD_JOB_HEAVY</summary>
    JobHeavy = 1498,
    /// <summary>REQUEST_PERSIST_INIT (slurm_msg_type_t): the handshake, the only message with a full header.</summary>
    PersistInit = 6500,
}
