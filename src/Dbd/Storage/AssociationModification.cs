using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>
/// DBD_MODIFY_ASSOCS (as_mysql_modify_assocs, _process_modify_assoc_results, _modify_unset_users;
/// records spec §5.3): applies the set fields of the record to the matched associations, moves account
/// associations to a new parent, and reports the user associations below a changed account that inherit
/// the change.
/// </summary>
public sealed class AssociationModification(TransactionLog transactions)
{
    /// <summary>The names for DBD_GOT_LIST and the SLURMDB_MODIFY_ASSOC records for the controllers.</summary>
    public sealed record Outcome(ModifyResult Result, List<AssociationRecord> Updates);

    /// <summary>Who asks: an operator (no restriction) or a coordinator of these accounts.</summary>
    public sealed record Access(IReadOnlySet<string>? CoordinatedAccounts)
    {
        public static readonly Access Operator = new((IReadOnlySet<string>?)null);
    }

    private sealed class Row
    {
        public uint IdAssoc { get; init; }
        public string User { get; init; } = "";
        public string Acct { get; init; } = "";
        public string Partition { get; init; } = "";
        public string ParentAcct { get; init; } = "";
        public int Lft { get; init; }
        public int Rgt { get; init; }
        public uint? MaxJobs { get; init; }
        public uint? MaxJobsAccrue { get; init; }
        public uint? MinPrioThresh { get; init; }
        public uint? MaxSubmitJobs { get; init; }
        public uint? MaxWallPj { get; init; }
        public uint? Priority { get; init; }
        public uint? DefQosId { get; init; }
        public string MaxTresPj { get; init; } = "";
        public string MaxTresPn { get; init; } = "";
        public string MaxTresMinsPj { get; init; } = "";
        public string MaxTresRunMins { get; init; } = "";
        public string GrpTres { get; init; } = "";
        public string GrpTresMins { get; init; } = "";
        public string GrpTresRunMins { get; init; } = "";
        public string Qos { get; init; } = "";
        public string DeltaQos { get; init; } = "";
    }

    private sealed record ClusterName(uint Id, string Name);

    private const string RowColumns = """
        t1.id_assoc, t1.`user`, t1.acct, t1.`partition`, t1.parent_acct, t1.lft, t1.rgt, t1.max_jobs, t1.max_jobs_accrue,
        t1.min_prio_thresh, t1.max_submit_jobs, t1.max_wall_pj, t1.priority, t1.def_qos_id, t1.max_tres_pj, t1.max_tres_pn,
        t1.max_tres_mins_pj, t1.max_tres_run_mins, t1.grp_tres, t1.grp_tres_mins, t1.grp_tres_run_mins, t1.qos, t1.delta_qos
        """;

    public Outcome Modify(SqlScope scope, AssociationCondition condition, AssociationRecord changes, Access access, ChangeContext change)
    {
        var scalars = ScalarChanges(changes);
        bool hasTres = TresChanges(changes).Any(t => t.Value is not null);
        bool hasQos = changes.QosList is { Count: > 0 };
        if (changes.DefaultQosId is not (SlurmValues.NoVal or SlurmValues.Infinite) and > 0
            && scope.Connection.ExecuteScalar<int>("SELECT COUNT(*) FROM qos WHERE id = @Id AND deleted = 0",
                new { Id = changes.DefaultQosId }, scope.Transaction) == 0)
            return new Outcome(ModifyResult.Failed(SlurmError.InvalidQos), []);
        if (scalars.Count == 0 && !hasTres && !hasQos && changes.ParentAccount is null)
            return new Outcome(ModifyResult.NothingToChange, []);

        var lines = new List<string>();
        var updates = new List<AssociationRecord>();
        var clusters = condition.ClusterList is { Count: > 0 } names
            ? names.Select(name => scope.Connection.QuerySingleOrDefault<ClusterName>(
                    "SELECT id, name FROM cluster WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256)) AND deleted = 0", new { Name = name }, scope.Transaction))
                .OfType<ClusterName>().ToList()
            : scope.Connection.Query<ClusterName>("SELECT id, name FROM cluster WHERE deleted = 0 ORDER BY name", transaction: scope.Transaction).ToList();
        foreach (var cluster in clusters)
        {
            var filter = AssociationRepository.ConditionFilter(condition with { WithDeleted = 0 }, cluster.Id, out string from);
            // For a modify, no user list means account associations only (records spec §5.1).
            if (condition.UserList is null)
                filter.Where("t1.`user` = ''");
            var rows = scope.Connection.Query<Row>($"SELECT DISTINCT {RowColumns} FROM {from}{filter.WhereClause} ORDER BY t1.lft FOR UPDATE",
                filter.Parameters, scope.Transaction).ToList();
            foreach (var row in rows)
            {
                // A coordinator may change what is below the accounts they coordinate, not those accounts themselves.
                string judgedBy = row.ParentAcct.Length > 0 ? row.ParentAcct : row.Acct;
                if (access.CoordinatedAccounts is { } coordinated && !coordinated.Contains(judgedBy))
                    return new Outcome(ModifyResult.Failed(SlurmError.AccessDenied), []);

                bool isAccount = row.User.Length == 0;
                if (isAccount && changes.ParentAccount is { } newParent)
                {
                    if (newParent == row.Acct)
                        continue;
                    int moved = MoveParent(scope, cluster.Id, row, newParent, change);
                    if (moved is SlurmError.InvalidParentAccount or SlurmError.SameParentAccount)
                        continue;
                }
                // The line names the parent the account had before a move, as the reference prints it.
                lines.Add(Line(cluster.Name, row, row.ParentAcct));
                ApplyTo(scope, cluster, row, changes, scalars, change);
                var record = new AssociationRecord
                {
                    Cluster = cluster.Name, Id = row.IdAssoc, Account = row.Acct, User = ColumnText.NullIfEmpty(row.User),
                    ParentAccount = isAccount ? changes.ParentAccount : null,
                } with
                {
                    SharesRaw = changes.SharesRaw, MaxJobs = changes.MaxJobs, MaxJobsAccrue = changes.MaxJobsAccrue,
                    MinPrioThreshold = changes.MinPrioThreshold, MaxSubmitJobs = changes.MaxSubmitJobs,
                    MaxWallPerJob = changes.MaxWallPerJob, Priority = changes.Priority, DefaultQosId = changes.DefaultQosId,
                    GrpJobs = changes.GrpJobs, GrpJobsAccrue = changes.GrpJobsAccrue, GrpSubmitJobs = changes.GrpSubmitJobs,
                    GrpWall = changes.GrpWall, GrpTres = changes.GrpTres, GrpTresMins = changes.GrpTresMins,
                    GrpTresRunMins = changes.GrpTresRunMins, MaxTresPerJob = changes.MaxTresPerJob,
                    MaxTresPerNode = changes.MaxTresPerNode, MaxTresMinsPerJob = changes.MaxTresMinsPerJob,
                    MaxTresRunMins = changes.MaxTresRunMins, QosList = changes.QosList,
                    IsDefault = changes.IsDefault, Lft = SlurmValues.NoVal, Rgt = SlurmValues.NoVal,
                };
                updates.Add(record);
                if (isAccount)
                    InheritingUsers(scope, cluster.Name, cluster.Id, row.Acct, row.Lft, row.Rgt, PropagatedFrom(changes), lines, updates);
                else if (changes.IsDefault == 1)
                    updates.AddRange(ResetDefault(scope, cluster, row, change));
            }
        }
        return new Outcome(ModifyResult.Changed(lines), updates);
    }

    /// <summary>The lines of records spec §1.4 for a modify: the account column is 20 wide.</summary>
    private static string Line(string cluster, Row row, string parentAcct) =>
        row.Partition.Length > 0 ? $"C = {cluster,-10} A = {row.Acct,-20} U = {row.User,-9} P = {row.Partition}"
        : row.User.Length > 0 ? $"C = {cluster,-10} A = {row.Acct,-20} U = {row.User,-9}"
        : parentAcct.Length > 0 ? $"C = {cluster,-10} A = {row.Acct} of {parentAcct}"
        : $"C = {cluster,-10} A = {row.Acct}";

    /// <summary>setup_assoc_limits for a modify: NO_VAL leaves a limit, INFINITE clears it (shares back to 1).</summary>
    private static List<(string Column, object? Value)> ScalarChanges(AssociationRecord changes)
    {
        var set = new List<(string, object?)>();
        if (changes.SharesRaw == SlurmValues.Infinite)
            set.Add(("shares", 1u));
        else if (changes.SharesRaw != SlurmValues.NoVal && (int)changes.SharesRaw >= 0)
            set.Add(("shares", changes.SharesRaw));
        void Number(string column, uint value)
        {
            if (value == SlurmValues.Infinite)
                set.Add((column, null));
            else if (value != SlurmValues.NoVal && (int)value >= 0)
                set.Add((column, value));
        }
        Number("grp_jobs", changes.GrpJobs);
        Number("grp_jobs_accrue", changes.GrpJobsAccrue);
        Number("grp_submit_jobs", changes.GrpSubmitJobs);
        Number("grp_wall", changes.GrpWall);
        if (changes.IsDefault == 1)
            set.Add(("is_def", 1));
        Number("max_jobs", changes.MaxJobs);
        Number("max_jobs_accrue", changes.MaxJobsAccrue);
        Number("min_prio_thresh", changes.MinPrioThreshold);
        Number("max_submit_jobs", changes.MaxSubmitJobs);
        Number("max_wall_pj", changes.MaxWallPerJob);
        Number("priority", changes.Priority);
        if (changes.DefaultQosId == SlurmValues.Infinite)
            set.Add(("def_qos_id", null));
        else if (changes.DefaultQosId != SlurmValues.NoVal && (int)changes.DefaultQosId > 0)
            set.Add(("def_qos_id", changes.DefaultQosId));
        return set;
    }

    private static (string Column, string? Value)[] TresChanges(AssociationRecord changes) =>
    [
        ("grp_tres", changes.GrpTres), ("grp_tres_mins", changes.GrpTresMins), ("grp_tres_run_mins", changes.GrpTresRunMins),
        ("max_tres_pj", changes.MaxTresPerJob), ("max_tres_pn", changes.MaxTresPerNode),
        ("max_tres_mins_pj", changes.MaxTresMinsPerJob), ("max_tres_run_mins", changes.MaxTresRunMins),
    ];

    private void ApplyTo(SqlScope scope, ClusterName cluster, Row row, AssociationRecord changes,
        List<(string Column, object? Value)> scalars, ChangeContext change)
    {
        var set = new List<string> { "mod_time = @Now" };
        var info = new List<string>();
        var parameters = new DynamicParameters(new { change.Now, ClusterId = cluster.Id, Id = row.IdAssoc });
        foreach (var (column, value) in scalars)
        {
            set.Add($"{column} = @{column}");
            parameters.Add(column, value);
            info.Add($"{column}={value?.ToString() ?? "NULL"}");
        }
        var current = new Dictionary<string, string>
        {
            ["grp_tres"] = row.GrpTres, ["grp_tres_mins"] = row.GrpTresMins, ["grp_tres_run_mins"] = row.GrpTresRunMins,
            ["max_tres_pj"] = row.MaxTresPj, ["max_tres_pn"] = row.MaxTresPn, ["max_tres_mins_pj"] = row.MaxTresMinsPj,
            ["max_tres_run_mins"] = row.MaxTresRunMins,
        };
        foreach (var (column, value) in TresChanges(changes))
        {
            if (value is null)
                continue;
            string merged = TresStrings.Merge(current[column], value);
            set.Add($"{column} = @{column}");
            parameters.Add(column, merged);
            info.Add($"{column}='{merged}'");
        }
        if (changes.QosList is { Count: > 0 } qosList)
        {
            var (qos, delta) = ApplyQos(row.Qos, row.DeltaQos, qosList);
            set.Add("qos = @Qos, delta_qos = @DeltaQos");
            parameters.Add("Qos", qos);
            parameters.Add("DeltaQos", delta);
            info.Add($"qos='{qos}', delta_qos='{delta}'");
        }
        if (info.Count == 0 && changes.ParentAccount is not null)
            return;
        scope.Connection.Execute($"UPDATE assoc SET {string.Join(", ", set)} WHERE cluster_id = @ClusterId AND id_assoc = @Id",
            parameters, scope.Transaction);
        transactions.Record(scope, DbdMessageType.ModifyAssocs, $"(id_assoc={row.IdAssoc})", change.Actor, string.Join(", ", info), change.Now, cluster.Name);
    }

    /// <summary>
    /// The QOS part of a modify, per row as the reference's SQL evaluates it: a plain list replaces the
    /// association's own list and drops its deltas; +id / -id change the own list when it has one, else
    /// become deltas on what it inherits; [""] clears both (records spec §5.2).
    /// </summary>
    public static (string Qos, string DeltaQos) ApplyQos(string qos, string delta, IReadOnlyList<string> changes)
    {
        var plain = changes.Where(q => q.Length > 0 && q[0] is not ('+' or '-')).ToList();
        if (changes.Any(q => q.Length == 0 || q[0] is not ('+' or '-')))
            return (plain.Count > 0 ? "," + string.Join(",", plain) + "," : "", "");
        foreach (string entry in changes)
        {
            string id = entry[1..];
            if (entry[0] == '-')
            {
                qos = qos.Length == 0 ? "" : qos.Replace($",{id},", ",");
                if (qos == ",")
                    qos = "";
            }
            else
            {
                qos = qos.Length == 0 ? "" : (qos.Replace($",{id},", ",") + $",{id},").Replace(",,", ",");
            }
            delta = qos.Length == 0
                ? (delta.Replace($",+{id},", ",").Replace($",-{id},", ",") + $",{entry},").Replace(",,", ",")
                : "";
        }
        return (qos, delta);
    }

    /// <summary>What a changed account passes to the associations below it that do not set the value themselves.</summary>
    private static AssociationRecord PropagatedFrom(AssociationRecord changes) => new()
    {
        DefaultQosId = changes.DefaultQosId, MaxJobs = changes.MaxJobs, MaxJobsAccrue = changes.MaxJobsAccrue,
        MinPrioThreshold = changes.MinPrioThreshold, MaxSubmitJobs = changes.MaxSubmitJobs, MaxWallPerJob = changes.MaxWallPerJob,
        Priority = changes.Priority, MaxTresPerJob = changes.MaxTresPerJob, MaxTresPerNode = changes.MaxTresPerNode,
        MaxTresMinsPerJob = changes.MaxTresMinsPerJob, MaxTresRunMins = changes.MaxTresRunMins,
        QosList = changes.QosList is { Count: > 0 } list
            ? list.Where(q => q.Length > 0).Select(q => q[0] is '+' or '-' ? q : "=" + q).ToList()
            : null,
    };

    /// <summary>
    /// _modify_unset_users: below a changed account, the sub-accounts and user associations that do not
    /// set a changed value themselves inherit it; the users among them are listed (sub-accounts are walked
    /// through, not listed), in tree order.
    /// </summary>
    private static void InheritingUsers(SqlScope scope, string clusterName, uint clusterId, string account, int lft, int rgt,
        AssociationRecord inherited, List<string> lines, List<AssociationRecord> updates)
    {
        var rows = scope.Connection.Query<Row>($"""
            SELECT DISTINCT {RowColumns} FROM assoc t1
            WHERE t1.cluster_id = @ClusterId AND t1.deleted = 0 AND t1.lft BETWEEN @Lft AND @Rgt
              AND ((t1.`user` = '' AND t1.parent_acct = @Account) OR (t1.`user` <> '' AND t1.acct = @Account))
            ORDER BY t1.lft
            """, new { ClusterId = clusterId, Lft = lft, Rgt = rgt, Account = account }, scope.Transaction).ToList();
        foreach (var row in rows)
        {
            bool modified = false;
            uint Unset(uint? own, uint value)
            {
                if (own is not null || value == SlurmValues.NoVal)
                    return SlurmValues.NoVal;
                modified = true;
                return value;
            }
            var passed = new AssociationRecord
            {
                Cluster = clusterName,
                Id = row.IdAssoc,
                DefaultQosId = Unset(row.DefQosId, inherited.DefaultQosId),
                MaxJobs = Unset(row.MaxJobs, inherited.MaxJobs),
                MaxJobsAccrue = Unset(row.MaxJobsAccrue, inherited.MaxJobsAccrue),
                MinPrioThreshold = Unset(row.MinPrioThresh, inherited.MinPrioThreshold),
                MaxSubmitJobs = Unset(row.MaxSubmitJobs, inherited.MaxSubmitJobs),
                MaxWallPerJob = Unset(row.MaxWallPj, inherited.MaxWallPerJob),
                Priority = Unset(row.Priority, inherited.Priority),
                MaxTresPerJob = inherited.MaxTresPerJob is { } pj ? TresStrings.Merge(row.MaxTresPj, pj) : null,
                MaxTresPerNode = inherited.MaxTresPerNode is { } pn ? TresStrings.Merge(row.MaxTresPn, pn) : null,
                MaxTresMinsPerJob = inherited.MaxTresMinsPerJob is { } mpj ? TresStrings.Merge(row.MaxTresMinsPj, mpj) : null,
                MaxTresRunMins = inherited.MaxTresRunMins is { } rm ? TresStrings.Merge(row.MaxTresRunMins, rm) : null,
                Lft = SlurmValues.NoVal,
                Rgt = SlurmValues.NoVal,
            };
            if (passed.MaxTresPerJob is not null || passed.MaxTresPerNode is not null
                || passed.MaxTresMinsPerJob is not null || passed.MaxTresRunMins is not null)
                modified = true;
            if (row.Qos.Length == 0 && inherited.QosList is { } qosList)
            {
                // A change the association itself reverses in its deltas does not reach it.
                var deltas = row.DeltaQos.Split(',', StringSplitOptions.RemoveEmptyEntries);
                var reaching = qosList.Where(q => q[0] == '=' || !deltas.Any(d => d[0] != q[0] && d[1..] == q[1..])).ToList();
                if (reaching.Count > 0 || qosList.Count == 0)
                {
                    modified = true;
                    passed = passed with { QosList = reaching };
                }
            }
            if (!modified)
                continue;
            if (row.User.Length == 0)
            {
                InheritingUsers(scope, clusterName, clusterId, row.Acct, row.Lft, row.Rgt, passed, lines, updates);
                continue;
            }
            lines.Add(Line(clusterName, row, ""));
            updates.Add(passed);
        }
    }

    /// <summary>_reset_default_assoc: a new default association takes the flag from the user's others on that cluster.</summary>
    private static List<AssociationRecord> ResetDefault(SqlScope scope, ClusterName cluster, Row row, ChangeContext change)
    {
        var parameters = new { ClusterId = cluster.Id, row.User, row.Acct, change.Now };
        var others = scope.Connection.Query<uint>(
            "SELECT id_assoc FROM assoc WHERE cluster_id = @ClusterId AND `user` = @User AND acct <> @Acct AND is_def = 1",
            parameters, scope.Transaction).ToList();
        scope.Connection.Execute(
            "UPDATE assoc SET is_def = 0, mod_time = @Now WHERE cluster_id = @ClusterId AND `user` = @User AND acct <> @Acct AND is_def = 1",
            parameters, scope.Transaction);
        return others.Select(id => new AssociationRecord { Cluster = cluster.Name, Id = id, IsDefault = 0 }).ToList();
    }

    /// <summary>
    /// _move_parent / _move_account: an account association and its subtree become the first child of the
    /// new parent's association. When the new parent lies below the account, it first moves up to the
    /// account's old parent, as the reference does. 2046 when the parent has no association there, 2047
    /// when it already is the parent.
    /// </summary>
    private static int MoveParent(SqlScope scope, uint clusterId, Row row, string newParent, ChangeContext change)
    {
        if (row.ParentAcct == newParent)
            return SlurmError.SameParentAccount;
        var parent = ParentRange(scope, clusterId, newParent);
        if (parent is null)
            return SlurmError.InvalidParentAccount;
        var self = Range(scope, clusterId, row.IdAssoc);
        if (parent.Value.Lft > self.Lft && parent.Value.Lft < self.Rgt)
            MoveSubtree(scope, clusterId, parent.Value.Id, row.ParentAcct, change);
        MoveSubtree(scope, clusterId, row.IdAssoc, newParent, change);
        return SlurmError.Success;
    }

    private static (uint Id, int Lft, int Rgt)? ParentRange(SqlScope scope, uint clusterId, string account) =>
        scope.Connection.QueryFirstOrDefault<(uint Id, int Lft, int Rgt)?>(
            "SELECT id_assoc, lft, rgt FROM assoc WHERE cluster_id = @ClusterId AND acct = @Account AND `user` = '' AND deleted = 0 ORDER BY lft LIMIT 1",
            new { ClusterId = clusterId, Account = account }, scope.Transaction);

    private static (int Lft, int Rgt) Range(SqlScope scope, uint clusterId, uint id) =>
        scope.Connection.QuerySingle<(int Lft, int Rgt)>("SELECT lft, rgt FROM assoc WHERE cluster_id = @ClusterId AND id_assoc = @Id",
            new { ClusterId = clusterId, Id = id }, scope.Transaction);

    /// <summary>Nested-set move: lift the subtree out (negated), close its gap, open one after the new parent's lft, drop it in.</summary>
    private static void MoveSubtree(SqlScope scope, uint clusterId, uint id, string newParent, ChangeContext change)
    {
        var (lft, rgt) = Range(scope, clusterId, id);
        int width = rgt - lft + 1;
        var parameters = new { ClusterId = clusterId, Lft = lft, Rgt = rgt, Width = width };
        scope.Connection.Execute("""
            UPDATE assoc SET lft = -lft, rgt = -rgt WHERE cluster_id = @ClusterId AND lft BETWEEN @Lft AND @Rgt;
            UPDATE assoc SET rgt = rgt - @Width WHERE cluster_id = @ClusterId AND rgt > @Rgt;
            UPDATE assoc SET lft = lft - @Width WHERE cluster_id = @ClusterId AND lft > @Rgt
            """, parameters, scope.Transaction);
        int parentLft = ParentRange(scope, clusterId, newParent)!.Value.Lft;
        int offset = parentLft + 1 - lft;
        scope.Connection.Execute("""
            UPDATE assoc SET rgt = rgt + @Width WHERE cluster_id = @ClusterId AND rgt > @ParentLft;
            UPDATE assoc SET lft = lft + @Width WHERE cluster_id = @ClusterId AND lft > @ParentLft;
            UPDATE assoc SET lft = -lft + @Offset, rgt = -rgt + @Offset WHERE cluster_id = @ClusterId AND lft < 0;
            UPDATE assoc SET parent_acct = @NewParent, mod_time = @Now WHERE cluster_id = @ClusterId AND id_assoc = @Id
            """, new { ClusterId = clusterId, Width = width, ParentLft = parentLft, Offset = offset, NewParent = newParent, change.Now, Id = id },
            scope.Transaction);
    }
}
