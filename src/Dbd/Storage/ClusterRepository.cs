using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>The cluster table and what GET_CLUSTERS attaches to each row (records spec §3).</summary>
public sealed class ClusterRepository(AssociationRepository associations, TransactionLog transactions)
{
    /// <summary>MAX_FED_CLUSTERS: federation ids run from 1 to 63.</summary>
    public const int MaxFederationClusters = 63;

    public const uint FedStateNa = 0;
    public const uint FedStateActive = 1;

    private sealed class ClusterRow
    {
        public uint Id { get; init; }
        public bool Deleted { get; init; }
        public string Name { get; init; } = "";
        public string ControlHost { get; init; } = "";
        public uint ControlPort { get; init; }
        public ushort RpcVersion { get; init; }
        public ushort Classification { get; init; }
        public ushort Dimensions { get; init; }
        public uint PluginIdSelect { get; init; }
        public uint Flags { get; init; }
        public string Federation { get; init; } = "";
        public string Features { get; init; } = "";
        public uint FedId { get; init; }
        public uint FedState { get; init; }
        public string? Nodes { get; init; }
        public string? Tres { get; init; }
    }

    /// <summary>
    /// DBD_GET_CLUSTERS, in name order (the reference's primary key). nodes and tres_str come from the
    /// open cluster-wide registration event, NULL when the cluster never registered.
    /// </summary>
    public List<ClusterRecord> Find(SqlScope scope, ClusterCondition condition)
    {
        string select = """
            SELECT c.id, c.deleted, c.name, c.control_host, c.control_port, c.rpc_version, c.classification,
                   c.dimensions, c.plugin_id_select, c.flags, c.federation, c.features, c.fed_id, c.fed_state,
                   e.cluster_nodes AS nodes, e.tres
            FROM cluster c
            LEFT JOIN event e ON e.cluster_id = c.id AND e.node_name = '' AND e.time_end = 0
            """;
        var filter = ConditionFilter(condition);
        var rows = scope.Connection.Query<ClusterRow>($"{select}{filter.WhereClause} ORDER BY c.name", filter.Parameters, scope.Transaction).ToList();
        var roots = associations.RootAssociations(scope, rows.Select(r => r.Id).ToList());
        return rows.Select(row => ToRecord(row, roots.GetValueOrDefault(row.Id))).ToList();
    }

    /// <summary>_setup_cluster_cond_limits: the cluster rows a condition selects (alias c).</summary>
    private static SqlFilter ConditionFilter(ClusterCondition condition)
    {
        var filter = new SqlFilter();
        if (condition.WithDeleted == 0)
            filter.Where("c.deleted = 0");
        filter.In("c.name", condition.ClusterList).In("c.federation", condition.FederationList)
            .InNumbers("c.plugin_id_select", condition.PluginIdSelectList).InNumbers("c.rpc_version", condition.RpcVersionList);
        if (condition.Classification != 0)
            filter.Where("(c.classification & @value) <> 0", condition.Classification);
        if (condition.Flags != SlurmValues.NoVal)
            filter.Where("(c.flags & @value) <> 0", condition.Flags);
        return filter;
    }

    private static ClusterRecord ToRecord(ClusterRow row, AssociationRecord? root) => new()
    {
        Classification = row.Classification,
        ControlHost = row.ControlHost,
        ControlPort = row.ControlPort,
        Dimensions = row.Dimensions,
        FederationFeatures = row.Features.Length == 0 ? null : row.Features.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(),
        FederationName = row.Federation,
        FederationId = row.FedId,
        FederationState = row.FedState,
        Flags = row.Flags,
        Name = row.Name,
        Nodes = row.Nodes,
        PluginIdSelect = row.PluginIdSelect,
        RootAssociation = root ?? AssociationRecord.NullForm,
        RpcVersion = row.RpcVersion,
        TresString = row.Tres,
    };

    /// <summary>
    /// DBD_ADD_CLUSTERS for one record (as_mysql_add_clusters): insert, or revive a removed cluster with its
    /// registration cleared; then, unless it is an external cluster, its root associations. Returns the
    /// error code slurmdbd would give, 0 on success.
    /// </summary>
    public int Add(SqlScope scope, ClusterRecord cluster, string defaultQos, ChangeContext change)
    {
        if (string.IsNullOrEmpty(cluster.Name))
            return SlurmError.Error;
        uint fedId = 0;
        uint fedState = FedStateNa;
        if (cluster.FederationName is { } federation)
        {
            int id = FederationClusterId(scope, cluster.Name, federation, lastId: -1);
            if (id < 0)
                return SlurmError.FedClusterMaxCount;
            fedId = (uint)id;
            fedState = cluster.FederationState != SlurmValues.NoVal ? cluster.FederationState : FedStateActive;
        }
        string features = cluster.FederationFeatures is { } list ? string.Join(",", list) : "";
        scope.Connection.Execute("""
            INSERT INTO cluster (creation_time, mod_time, name, classification, federation, fed_id, fed_state, features)
            VALUES (@Now, @Now, @Name, @Classification, @Federation, @FedId, @FedState, @Features)
            ON DUPLICATE KEY UPDATE deleted = 0, mod_time = @Now, control_host = '', control_port = 0,
                classification = @Classification, flags = 0, federation = @Federation, fed_id = @FedId,
                fed_state = @FedState, features = @Features
            """, new
        {
            change.Now, cluster.Name, cluster.Classification, Federation = cluster.FederationName ?? "",
            FedId = fedId, FedState = fedState, Features = features,
        }, scope.Transaction);
        uint clusterId = IdOf(scope, cluster.Name)!.Value;

        bool external = cluster.Flags != SlurmValues.NoVal && (cluster.Flags & ClusterFlagExternal) != 0;
        if (!external)
            associations.EnsureRootAssociations(scope, clusterId, cluster.RootAssociation, defaultQos, change);
        transactions.Record(scope, DbdMessageType.AddClusters, cluster.Name, change.Actor,
            $"mod_time={change.Now}, federation='{cluster.FederationName ?? ""}', fed_id={fedId}, fed_state={fedState}, features='{features}'", change.Now);
        return SlurmError.Success;
    }

    /// <summary>
    /// as_mysql_fini_ctld: the registered controller's connection ended. Only the registration with this host
    /// and port is cleared, in case a backup controller has registered meanwhile. Returns whether it was.
    /// </summary>
    public bool FiniController(SqlScope scope, string name, string controlHost, uint controlPort, long now) =>
        scope.Connection.Execute("""
            UPDATE cluster SET mod_time = @Now, control_host = '', control_port = 0
            WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256)) AND control_host = @ControlHost AND control_port = @ControlPort
            """, new { Now = now, Name = name, ControlHost = controlHost, ControlPort = controlPort }, scope.Transaction) > 0;

    /// <summary>
    /// register_disconn_ctld: a controller sending job records on a connection that never registered is taken
    /// to be the one registered last, on last_port, from its own address. Returns that port, 0 when the
    /// cluster does not exist. An unregistered cluster (last_port 0) asks again with every message, as in the
    /// reference; the row is only written when it changes, so that costs no write.
    /// </summary>
    public ushort RegisterDisconnected(SqlScope scope, string name, string controlHost)
    {
        ushort? port = scope.Connection.ExecuteScalar<ushort?>(
            "SELECT last_port FROM cluster WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256))", new { Name = name }, scope.Transaction);
        if (port is null)
            return 0;
        scope.Connection.Execute("""
            UPDATE cluster SET control_host = @ControlHost, control_port = @Port
            WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256)) AND (control_host <> @ControlHost OR control_port <> @Port)
            """, new { Name = name, ControlHost = controlHost, Port = port }, scope.Transaction);
        return port.Value;
    }

    /// <summary>CLUSTER_FLAG_EXT: an external cluster has no associations of its own.</summary>
    public const uint ClusterFlagExternal = 0x1000;

    /// <summary>
    /// <see cref="IdOf"/>, remembered for the rest of the scope's transaction (a group of controller writes
    /// asks for it with every message). Reads in one transaction see one snapshot, so the answer cannot change.
    /// </summary>
    public uint? CachedIdOf(SqlScope scope, string name)
    {
        if (scope.ClusterIds.TryGetValue(name, out uint known))
            return known;
        uint? id = IdOf(scope, name);
        if (id is uint found)
            scope.ClusterIds[name] = found;
        return id;
    }

    public uint? IdOf(SqlScope scope, string name) => scope.Connection.ExecuteScalar<uint?>(
        "SELECT id FROM cluster WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256))", new { Name = name }, scope.Transaction);

    /// <summary>
    /// as_mysql_get_fed_cluster_id: a member keeps its id; otherwise the smallest free id above
    /// <paramref name="lastId"/> (ids given out earlier in the same request). -1 when all 63 are taken.
    /// </summary>
    public int FederationClusterId(SqlScope scope, string cluster, string federation, int lastId)
    {
        var current = scope.Connection.ExecuteScalar<int?>(
            "SELECT fed_id FROM cluster WHERE deleted = 0 AND name = @Cluster AND federation = @Federation",
            new { Cluster = cluster, Federation = federation }, scope.Transaction);
        if (current is int kept)
            return kept;
        var taken = scope.Connection.Query<int>("""
            SELECT fed_id FROM cluster WHERE name <> @Cluster AND federation = @Federation AND fed_id > @LastId AND deleted = 0
            ORDER BY fed_id
            """, new { Cluster = cluster, Federation = federation, LastId = lastId }, scope.Transaction);
        int id = Math.Max(1, lastId + 1);
        foreach (int used in taken)
        {
            if (used != id)
                break;
            id++;
        }
        return id > MaxFederationClusters ? -1 : id;
    }

    private sealed record MatchedCluster(uint Id, string Name, string Federation, string Features);

    /// <summary>
    /// DBD_MODIFY_CLUSTERS (as_mysql_modify_clusters): only the registration, classification, federation,
    /// fed state and feature fields are applied; association limits go through DBD_MODIFY_ASSOCS.
    /// </summary>
    public ModifyResult Modify(SqlScope scope, ClusterCondition condition, ClusterRecord changes, ChangeContext change)
    {
        var set = new List<string>();
        var parameters = new DynamicParameters();
        bool registration = false;
        int registrationFields = 0;
        void Set(string column, object value)
        {
            set.Add($"{column} = @{column}");
            parameters.Add(column, value);
        }
        if (changes.ControlHost is not null) { Set("control_host", changes.ControlHost); registrationFields++; registration = true; }
        if (changes.ControlPort != 0) { Set("control_port", changes.ControlPort); Set("last_port", changes.ControlPort); registrationFields++; registration = true; }
        if (changes.RpcVersion != 0) { Set("rpc_version", changes.RpcVersion); registrationFields++; registration = true; }
        if (changes.Dimensions != 0) { Set("dimensions", changes.Dimensions); registration = true; }
        if (changes.PluginIdSelect != 0) { Set("plugin_id_select", changes.PluginIdSelect); registration = true; }
        if (changes.Flags != SlurmValues.NoVal) { Set("flags", changes.Flags); registration = true; }
        if (changes.Classification != 0)
            Set("classification", changes.Classification);
        if (changes.FederationName is not null)
            Set("federation", changes.FederationName);
        if (changes.FederationState != SlurmValues.NoVal)
            Set("fed_state", changes.FederationState);

        if (set.Count == 0 && changes.FederationFeatures is null)
            return ModifyResult.NothingToChange;
        if (registration && registrationFields != 3)
            return ModifyResult.Failed(SlurmError.Efault);

        var matched = Matching(scope, condition with { WithDeleted = 0 });
        var names = new List<string>();
        foreach (var cluster in matched)
        {
            var rowSet = new List<string>(set);
            var rowParameters = new DynamicParameters(parameters);
            if (changes.FederationName is { } federation)
            {
                int id = 0;
                if (federation.Length > 0 && (id = FederationClusterId(scope, cluster.Name, federation, -1)) < 0)
                    return ModifyResult.Failed(SlurmError.FedClusterMaxCount);
                rowSet.Add("fed_id = @FedId");
                rowParameters.Add("FedId", id);
                uint? state = federation.Length == 0 ? FedStateNa
                    : changes.FederationState != SlurmValues.NoVal ? null
                    : cluster.Federation != federation ? FedStateActive : null;
                if (state is not null)
                {
                    // Leaving a federation resets the state even when one was given: the reference
                    // appends fed_state=NA after it, and the later assignment wins.
                    rowSet.Remove("fed_state = @fed_state");
                    rowSet.Add("fed_state = @NewFedState");
                    rowParameters.Add("NewFedState", state.Value);
                }
            }
            if (changes.FederationFeatures is { } features)
            {
                rowSet.Add("features = @Features");
                rowParameters.Add("Features", string.Join(",", MergeFeatures(cluster.Features, features)));
            }
            rowSet.Add("mod_time = @Now");
            rowParameters.Add("Now", change.Now);
            rowParameters.Add("Id", cluster.Id);
            scope.Connection.Execute($"UPDATE cluster SET {string.Join(", ", rowSet)} WHERE id = @Id", rowParameters, scope.Transaction);
            transactions.Record(scope, DbdMessageType.ModifyClusters, $"name='{cluster.Name}'", change.Actor, string.Join(", ", rowSet), change.Now);
            names.Add(cluster.Name);
        }
        return ModifyResult.Changed(names);
    }

    /// <summary>
    /// A feature list replaces the features unless its first entry starts with + or -, in which case the
    /// entries are merged into the current set (_reconcile_existing_features).
    /// </summary>
    public static List<string> MergeFeatures(string current, IReadOnlyList<string> requested)
    {
        if (requested.Count == 0)
            return [];
        var features = requested[0].StartsWith('+') || requested[0].StartsWith('-')
            ? current.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList()
            : [];
        foreach (string feature in requested)
        {
            if (feature.StartsWith('-'))
                features.RemoveAll(f => f == feature[1..]);
            else
                features.Add(feature.StartsWith('+') ? feature[1..] : feature);
        }
        return features;
    }

    private List<MatchedCluster> Matching(SqlScope scope, ClusterCondition condition)
    {
        var filter = ConditionFilter(condition);
        return scope.Connection.Query<MatchedCluster>(
            $"SELECT c.id, c.name, c.federation, c.features FROM cluster c{filter.WhereClause} ORDER BY c.name",
            filter.Parameters, scope.Transaction).ToList();
    }

    private sealed record RunningJob(uint IdJob, string ClusterName, string Account, string User);

    /// <summary>
    /// DBD_REMOVE_CLUSTERS (as_mysql_remove_clusters): refused with the list of running jobs (7001) if any;
    /// otherwise open events are closed, associations removed, and the cluster deleted outright when it is
    /// younger than a day and never ran a job, else flagged deleted.
    /// </summary>
    public RemoveResult Remove(SqlScope scope, ClusterCondition condition, ChangeContext change)
    {
        var matched = Matching(scope, condition with { WithDeleted = 0 });
        if (matched.Count == 0)
            return new RemoveResult([], SlurmError.NoChangeInData);
        var ids = matched.Select(c => c.Id).ToList();
        var running = scope.Connection.Query<RunningJob>("""
            SELECT j.id_job, c.name AS cluster_name, COALESCE(a.acct, j.account, '') AS account, COALESCE(a.`user`, '') AS `user`
            FROM job j JOIN cluster c ON c.id = j.cluster_id
            LEFT JOIN assoc a ON a.cluster_id = j.cluster_id AND a.id_assoc = j.id_assoc
            WHERE j.cluster_id IN @Ids AND j.time_end = 0 AND j.state < 3
            ORDER BY j.id_job
            """, new { Ids = ids }, scope.Transaction).ToList();
        if (running.Count > 0)
            return new RemoveResult(running.Select(j => $"JobID = {j.IdJob,-10} C = {j.ClusterName,-10} A = {j.Account,-10} U = {j.User,-9}").ToList(),
                SlurmError.JobsRunningOnAssoc);

        foreach (var cluster in matched)
        {
            bool everRanJobs = scope.Connection.ExecuteScalar<int>("SELECT EXISTS (SELECT 1 FROM job WHERE cluster_id = @Id)",
                new { cluster.Id }, scope.Transaction) == 1;
            bool young = scope.Connection.ExecuteScalar<long>("SELECT creation_time FROM cluster WHERE id = @Id",
                new { cluster.Id }, scope.Transaction) > change.DayOld;
            bool deleteRows = young && !everRanJobs;
            scope.Connection.Execute("UPDATE event SET time_end = @Now WHERE cluster_id = @Id AND time_end = 0",
                new { cluster.Id, change.Now }, scope.Transaction);
            associations.RemoveClusterAssociations(scope, cluster.Id, deleteRows, change);
            scope.Connection.Execute(deleteRows
                ? "DELETE FROM cluster WHERE id = @Id"
                : "UPDATE cluster SET deleted = 1, mod_time = @Now, federation = '', fed_id = 0, fed_state = 0 WHERE id = @Id",
                new { cluster.Id, change.Now }, scope.Transaction);
            transactions.Record(scope, DbdMessageType.RemoveClusters, $"name='{cluster.Name}'", change.Actor, "", change.Now);
        }
        return new RemoveResult(matched.Select(c => c.Name).ToList(), SlurmError.Success);
    }
}
