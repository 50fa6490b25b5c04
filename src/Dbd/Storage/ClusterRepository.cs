using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>The cluster table and what GET_CLUSTERS attaches to each row (records spec §3).</summary>
public sealed class ClusterRepository(AssociationRepository associations)
{
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
        var filter = new SqlFilter();
        if (condition.WithDeleted == 0)
            filter.Where("c.deleted = 0");
        filter.In("c.name", condition.ClusterList).In("c.federation", condition.FederationList)
            .InNumbers("c.plugin_id_select", condition.PluginIdSelectList).InNumbers("c.rpc_version", condition.RpcVersionList);
        if (condition.Classification != 0)
            filter.Where("(c.classification & @value) <> 0", condition.Classification);
        if (condition.Flags != SlurmValues.NoVal)
            filter.Where("(c.flags & @value) <> 0", condition.Flags);
        var rows = scope.Connection.Query<ClusterRow>($"{select}{filter.WhereClause} ORDER BY c.name", filter.Parameters, scope.Transaction).ToList();
        var roots = associations.RootAssociations(scope, rows.Select(r => r.Id).ToList());
        return rows.Select(row => ToRecord(row, roots.GetValueOrDefault(row.Id))).ToList();
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
}
