using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>Adding, modifying and removing QOS (as_mysql_qos.c; records spec §6.6).</summary>
public sealed partial class QosRepository(TransactionLog transactions)
{
    /// <summary>QOS_FLAG_NOTSET, QOS_FLAG_ADD, QOS_FLAG_REMOVE: request markers, never stored.</summary>
    private const uint FlagNotSet = 0x10000000, FlagAdd = 0x20000000, FlagRemove = 0x40000000;

    /// <summary>(double)NO_VAL and (double)INFINITE as the fresh request record carries them.</summary>
    private const double DoubleNoVal = SlurmValues.NoVal, DoubleInfinite = SlurmValues.Infinite;

    private sealed class Match
    {
        public uint Id { get; init; }
        public string Name { get; init; } = "";
        public string Preempt { get; init; } = "";
        public long CreationTime { get; init; }
        public string MaxTresPa { get; init; } = "";
        public string MaxTresPj { get; init; } = "";
        public string MaxTresPn { get; init; } = "";
        public string MaxTresPu { get; init; } = "";
        public string MaxTresMinsPj { get; init; } = "";
        public string MaxTresRunMinsPa { get; init; } = "";
        public string MaxTresRunMinsPu { get; init; } = "";
        public string MinTresPj { get; init; } = "";
        public string GrpTres { get; init; } = "";
        public string GrpTresMins { get; init; } = "";
        public string GrpTresRunMins { get; init; } = "";
        public uint Flags { get; init; }
    }

    /// <summary>
    /// The column values a record sets. For an add, unset (NO_VAL) limits stay NULL; for a modify they are
    /// left alone. INFINITE clears a limit (NULL) in both. TRES strings are merged per row by the caller.
    /// </summary>
    private static List<(string Column, object? Value)> ChangedColumns(QosRecord qos, bool forAdd)
    {
        var set = new List<(string, object?)>();
        void Number(string column, uint value)
        {
            if (value == SlurmValues.Infinite || (forAdd && value == SlurmValues.NoVal))
                set.Add((column, null));
            else if (value != SlurmValues.NoVal)
                set.Add((column, value));
        }
        void Real(string column, double value, double unsetValue)
        {
            if (value == DoubleNoVal)
            {
                if (forAdd)
                    set.Add((column, unsetValue is double.NaN ? null : unsetValue));
            }
            else
                set.Add((column, value == DoubleInfinite ? null : value));
        }
        if (qos.Description is not null)
            set.Add(("description", qos.Description));
        if (qos.GraceTime != SlurmValues.NoVal || forAdd)
            set.Add(("grace_time", qos.GraceTime is SlurmValues.NoVal or SlurmValues.Infinite ? 0u : qos.GraceTime));
        Number("grp_jobs", qos.GrpJobs);
        Number("grp_jobs_accrue", qos.GrpJobsAccrue);
        Number("grp_submit_jobs", qos.GrpSubmitJobs);
        Number("grp_wall", qos.GrpWall);
        Number("max_jobs_pa", qos.MaxJobsPerAccount);
        Number("max_jobs_per_user", qos.MaxJobsPerUser);
        Number("max_jobs_accrue_pa", qos.MaxJobsAccruePerAccount);
        Number("max_jobs_accrue_pu", qos.MaxJobsAccruePerUser);
        Number("min_prio_thresh", qos.MinPrioThreshold);
        Number("max_submit_jobs_pa", qos.MaxSubmitJobsPerAccount);
        Number("max_submit_jobs_per_user", qos.MaxSubmitJobsPerUser);
        Number("max_wall_duration_per_job", qos.MaxWallPerJob);
        Number("preempt_exempt_time", qos.PreemptExemptTime);
        if (qos.PreemptMode != SlurmValues.NoVal16)
            set.Add(("preempt_mode", (uint)qos.PreemptMode));
        else if (forAdd)
            set.Add(("preempt_mode", 0u));
        if (qos.Priority == SlurmValues.Infinite || (forAdd && qos.Priority == SlurmValues.NoVal))
            set.Add(("priority", forAdd ? 0u : null));
        else if (qos.Priority != SlurmValues.NoVal)
            set.Add(("priority", qos.Priority));
        Real("usage_factor", qos.UsageFactor, 1);
        Real("usage_thres", qos.UsageThreshold, double.NaN);
        Real("limit_factor", qos.LimitFactor, double.NaN);
        return set;
    }

    private static (string Column, string? Value)[] TresColumns(QosRecord qos) =>
    [
        ("max_tres_pa", qos.MaxTresPerAccount), ("max_tres_pj", qos.MaxTresPerJob), ("max_tres_pn", qos.MaxTresPerNode),
        ("max_tres_pu", qos.MaxTresPerUser), ("max_tres_mins_pj", qos.MaxTresMinsPerJob),
        ("max_tres_run_mins_pa", qos.MaxTresRunMinsPerAccount), ("max_tres_run_mins_pu", qos.MaxTresRunMinsPerUser),
        ("min_tres_pj", qos.MinTresPerJob), ("grp_tres", qos.GrpTres), ("grp_tres_mins", qos.GrpTresMins),
        ("grp_tres_run_mins", qos.GrpTresRunMins),
    ];

    /// <summary>
    /// DBD_ADD_QOS (as_mysql_add_qos): a name is required (else SLURM_ERROR for that record); the QOS is
    /// inserted, or revived with the new values. Returns the QOS as stored, for SLURMDB_ADD_QOS.
    /// </summary>
    public (int ReturnCode, List<QosRecord> Added) Add(SqlScope scope, IReadOnlyList<QosRecord> records, ChangeContext change)
    {
        int rc = SlurmError.Success;
        var added = new List<QosRecord>();
        foreach (var qos in records)
        {
            if (string.IsNullOrEmpty(qos.Name))
            {
                rc = SlurmError.Error;
                continue;
            }
            var columns = ChangedColumns(qos, forAdd: true);
            columns.Add(("flags", (qos.Flags & FlagNotSet) != 0 ? 0u : qos.Flags & ~(FlagAdd | FlagRemove)));
            columns.Add(("preempt", PreemptColumn("", qos.PreemptList)));
            foreach (var (column, value) in TresColumns(qos))
                columns.Add((column, TresStrings.Merge("", value ?? "")));
            var parameters = new DynamicParameters(new { change.Now, qos.Name });
            foreach (var (column, value) in columns)
                parameters.Add(column, value);
            string names = string.Join(", ", columns.Select(c => c.Column));
            string values = string.Join(", ", columns.Select(c => "@" + c.Column));
            string updates = string.Join(", ", columns.Select(c => $"{c.Column} = @{c.Column}"));
            scope.Connection.Execute($"""
                INSERT INTO qos (creation_time, mod_time, name, {names}) VALUES (@Now, @Now, @Name, {values})
                ON DUPLICATE KEY UPDATE deleted = 0, mod_time = @Now, {updates}
                """, parameters, scope.Transaction);
            transactions.Record(scope, DbdMessageType.AddQos, qos.Name, change.Actor, Info(columns), change.Now);
            added.AddRange(Find(scope, new QosCondition(null, null, null, [qos.Name], 0, 0)));
        }
        return (rc, added);
    }

    /// <summary>
    /// DBD_MODIFY_QOS (as_mysql_modify_qos): the set fields on every matched QOS; TRES limits merge per
    /// TRES into the current ones; flags with the ADD/REMOVE marker are or-ed in / masked out; a preempt
    /// list replaces the list, or with +/- entries changes it, and may not make a QOS preempt itself
    /// through others (2067). Returns the names in id order, and the new records for SLURMDB_MODIFY_QOS.
    /// </summary>
    public (ModifyResult Result, List<QosRecord> Modified) Modify(SqlScope scope, QosCondition condition, QosRecord changes, ChangeContext change)
    {
        var scalars = ChangedColumns(changes, forAdd: false);
        bool hasTres = TresColumns(changes).Any(t => t.Value is not null);
        bool hasFlags = (changes.Flags & FlagNotSet) == 0;
        if (scalars.Count == 0 && !hasTres && !hasFlags && changes.PreemptList is null)
            return (ModifyResult.NothingToChange, []);

        var matched = Matching(scope, condition);
        if (changes.PreemptList is { } preemptChanges)
        {
            var graph = scope.Connection.Query<(uint Id, string Preempt)>("SELECT id, preempt FROM qos WHERE deleted = 0", transaction: scope.Transaction)
                .ToDictionary(q => q.Id, q => PreemptIds(q.Preempt));
            foreach (var qos in matched)
                graph[qos.Id] = PreemptIds(PreemptColumn(qos.Preempt, preemptChanges));
            if (matched.Any(qos => Reaches(graph, qos.Id)))
                return (ModifyResult.Failed(SlurmError.QosPreemptionLoop), []);
        }
        foreach (var qos in matched)
        {
            var columns = new List<(string Column, object? Value)>(scalars);
            var current = new Dictionary<string, string>
            {
                ["max_tres_pa"] = qos.MaxTresPa, ["max_tres_pj"] = qos.MaxTresPj, ["max_tres_pn"] = qos.MaxTresPn,
                ["max_tres_pu"] = qos.MaxTresPu, ["max_tres_mins_pj"] = qos.MaxTresMinsPj,
                ["max_tres_run_mins_pa"] = qos.MaxTresRunMinsPa, ["max_tres_run_mins_pu"] = qos.MaxTresRunMinsPu,
                ["min_tres_pj"] = qos.MinTresPj, ["grp_tres"] = qos.GrpTres, ["grp_tres_mins"] = qos.GrpTresMins,
                ["grp_tres_run_mins"] = qos.GrpTresRunMins,
            };
            foreach (var (column, value) in TresColumns(changes))
            {
                if (value is not null)
                    columns.Add((column, TresStrings.Merge(current[column], value)));
            }
            if (hasFlags)
            {
                uint bits = changes.Flags & ~(FlagAdd | FlagRemove);
                columns.Add(("flags", (changes.Flags & FlagAdd) != 0 ? qos.Flags | bits
                    : (changes.Flags & FlagRemove) != 0 ? qos.Flags & ~bits
                    : bits));
            }
            if (changes.PreemptList is { } preempt)
                columns.Add(("preempt", PreemptColumn(qos.Preempt, preempt)));
            var parameters = new DynamicParameters(new { change.Now, qos.Id });
            foreach (var (column, value) in columns)
                parameters.Add(column, value);
            scope.Connection.Execute(
                $"UPDATE qos SET mod_time = @Now, {string.Join(", ", columns.Select(c => $"{c.Column} = @{c.Column}"))} WHERE id = @Id",
                parameters, scope.Transaction);
            transactions.Record(scope, DbdMessageType.ModifyQos, $"(name='{qos.Name}')", change.Actor, Info(columns), change.Now);
        }
        var modified = matched.Count == 0 ? [] : Find(scope, new QosCondition(null, null, matched.Select(q => q.Id.ToString()).ToList(), null, 0, 0));
        return (ModifyResult.Changed(matched.Select(q => q.Name).ToList()), modified);
    }

    /// <summary>
    /// DBD_REMOVE_QOS (as_mysql_remove_qos): the QOS leaves every association's own list and deltas, every
    /// association's default and other QOS' preempt lists; the row goes if younger than a day and never
    /// used by a job, else it is flagged with its limits back to defaults. Returns the names.
    /// </summary>
    public (List<string> Names, List<QosRecord> Removed) Remove(SqlScope scope, QosCondition condition, ChangeContext change)
    {
        var matched = Matching(scope, condition);
        foreach (var qos in matched)
        {
            var parameters = new { change.Now, qos.Id, Own = $",{qos.Id},", Plus = $",+{qos.Id},", Minus = $",-{qos.Id},", change.DayOld };
            scope.Connection.Execute("""
                UPDATE assoc SET mod_time = @Now, qos = REPLACE(qos, @Own, ','), delta_qos = REPLACE(REPLACE(delta_qos, @Plus, ','), @Minus, ',')
                WHERE deleted = 0 AND (qos LIKE CONCAT('%', @Own, '%') OR delta_qos LIKE CONCAT('%', @Plus, '%') OR delta_qos LIKE CONCAT('%', @Minus, '%'));
                UPDATE assoc SET qos = '' WHERE qos = ',';
                UPDATE assoc SET delta_qos = '' WHERE delta_qos = ',';
                UPDATE assoc SET mod_time = @Now, def_qos_id = NULL WHERE def_qos_id = @Id;
                UPDATE qos SET preempt = REPLACE(preempt, @Own, ',') WHERE preempt LIKE CONCAT('%', @Own, '%');
                UPDATE qos SET preempt = '' WHERE preempt = ','
                """, parameters, scope.Transaction);
            bool used = scope.Connection.ExecuteScalar<int>("SELECT EXISTS (SELECT 1 FROM job WHERE id_qos = @Id)", parameters, scope.Transaction) == 1;
            scope.Connection.Execute(!used && qos.CreationTime > change.DayOld
                ? "DELETE FROM qos WHERE id = @Id"
                : """
                  UPDATE qos SET mod_time = @Now, deleted = 1, grace_time = DEFAULT, max_jobs_pa = DEFAULT, max_jobs_per_user = DEFAULT,
                      max_jobs_accrue_pa = DEFAULT, max_jobs_accrue_pu = DEFAULT, min_prio_thresh = DEFAULT, max_submit_jobs_pa = DEFAULT,
                      max_submit_jobs_per_user = DEFAULT, max_tres_pa = DEFAULT, max_tres_pj = DEFAULT, max_tres_pn = DEFAULT,
                      max_tres_pu = DEFAULT, max_tres_mins_pj = DEFAULT, max_tres_run_mins_pa = DEFAULT, max_tres_run_mins_pu = DEFAULT,
                      min_tres_pj = DEFAULT, max_wall_duration_per_job = DEFAULT, grp_jobs = DEFAULT, grp_submit_jobs = DEFAULT,
                      grp_jobs_accrue = DEFAULT, grp_tres = DEFAULT, grp_tres_mins = DEFAULT, grp_tres_run_mins = DEFAULT,
                      grp_wall = DEFAULT, preempt = DEFAULT, preempt_exempt_time = DEFAULT, priority = DEFAULT,
                      usage_factor = DEFAULT, usage_thres = DEFAULT, limit_factor = DEFAULT
                  WHERE id = @Id
                  """, parameters, scope.Transaction);
            transactions.Record(scope, DbdMessageType.RemoveQos, $"id='{qos.Id}'", change.Actor, "", change.Now);
        }
        return (matched.Select(q => q.Name).ToList(), matched.Select(q => new QosRecord { Id = q.Id, Name = q.Name }).ToList());
    }

    private static List<Match> Matching(SqlScope scope, QosCondition condition)
    {
        var filter = new SqlFilter().Where("deleted = 0");
        filter.InNumbers("id", condition.IdList).In("name", condition.NameList).In("description", condition.DescriptionList);
        if (condition.PreemptMode is not 0 and not SlurmValues.NoVal16)
            filter.Where("(preempt_mode & @value) <> 0", condition.PreemptMode);
        return scope.Connection.Query<Match>($"""
            SELECT id, name, preempt, creation_time, max_tres_pa, max_tres_pj, max_tres_pn, max_tres_pu, max_tres_mins_pj,
                   max_tres_run_mins_pa, max_tres_run_mins_pu, min_tres_pj, grp_tres, grp_tres_mins, grp_tres_run_mins, flags
            FROM qos{filter.WhereClause} ORDER BY id
            """, filter.Parameters, scope.Transaction).ToList();
    }

    /// <summary>A preempt list of ids replaces the current one; entries with + or - change it.</summary>
    private static string PreemptColumn(string current, IReadOnlyList<string>? changes)
    {
        if (changes is null)
            return current;
        var ids = changes.All(c => c.Length > 0 && c[0] is '+' or '-') ? PreemptIds(current).Select(i => i.ToString()).ToList() : [];
        foreach (string entry in changes.Where(c => c.Length > 0))
        {
            string id = entry.TrimStart('+', '-');
            ids.Remove(id);
            if (entry[0] != '-')
                ids.Add(id);
        }
        return ids.Count == 0 ? "" : "," + string.Join(",", ids) + ",";
    }

    private static List<uint> PreemptIds(string preempt) =>
        preempt.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(uint.Parse).ToList();

    /// <summary>Whether a QOS preempts itself through the preempt lists (_preemption_loop).</summary>
    private static bool Reaches(Dictionary<uint, List<uint>> graph, uint start)
    {
        var seen = new HashSet<uint>();
        var pending = new Stack<uint>(graph.GetValueOrDefault(start) ?? []);
        while (pending.TryPop(out uint next))
        {
            if (next == start)
                return true;
            if (seen.Add(next))
                foreach (uint further in graph.GetValueOrDefault(next) ?? [])
                    pending.Push(further);
        }
        return false;
    }

    private static string Info(List<(string Column, object? Value)> columns) =>
        string.Join(", ", columns.Select(c => $"{c.Column}={(c.Value is string s ? $"'{s}'" : c.Value?.ToString() ?? "NULL")}"));
}
