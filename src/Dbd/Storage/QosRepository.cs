using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>The qos table (records spec §6.6). A NULL limit column is "not set", sent as INFINITE.</summary>
public sealed partial class QosRepository
{
    private sealed class QosRow
    {
        public uint Id { get; init; }
        public bool Deleted { get; init; }
        public string Name { get; init; } = "";
        public string? Description { get; init; }
        public uint Flags { get; init; }
        public uint? GraceTime { get; init; }
        public uint? MaxJobsPa { get; init; }
        public uint? MaxJobsPerUser { get; init; }
        public uint? MaxJobsAccruePa { get; init; }
        public uint? MaxJobsAccruePu { get; init; }
        public uint? MinPrioThresh { get; init; }
        public uint? MaxSubmitJobsPa { get; init; }
        public uint? MaxSubmitJobsPerUser { get; init; }
        public string MaxTresPa { get; init; } = "";
        public string MaxTresPj { get; init; } = "";
        public string MaxTresPn { get; init; } = "";
        public string MaxTresPu { get; init; } = "";
        public string MaxTresMinsPj { get; init; } = "";
        public string MaxTresRunMinsPa { get; init; } = "";
        public string MaxTresRunMinsPu { get; init; } = "";
        public string MinTresPj { get; init; } = "";
        public uint? MaxWallDurationPerJob { get; init; }
        public uint? GrpJobs { get; init; }
        public uint? GrpJobsAccrue { get; init; }
        public uint? GrpSubmitJobs { get; init; }
        public string GrpTres { get; init; } = "";
        public string GrpTresMins { get; init; } = "";
        public string GrpTresRunMins { get; init; } = "";
        public uint? GrpWall { get; init; }
        public string Preempt { get; init; } = "";
        public uint PreemptMode { get; init; }
        public uint? PreemptExemptTime { get; init; }
        public uint? Priority { get; init; }
        public double UsageFactor { get; init; }
        public double? UsageThres { get; init; }
        public double? LimitFactor { get; init; }
    }

    private const string Columns = """
        id, deleted, name, description, flags, grace_time, max_jobs_pa, max_jobs_per_user, max_jobs_accrue_pa,
        max_jobs_accrue_pu, min_prio_thresh, max_submit_jobs_pa, max_submit_jobs_per_user, max_tres_pa, max_tres_pj,
        max_tres_pn, max_tres_pu, max_tres_mins_pj, max_tres_run_mins_pa, max_tres_run_mins_pu, min_tres_pj,
        max_wall_duration_per_job, grp_jobs, grp_jobs_accrue, grp_submit_jobs, grp_tres, grp_tres_mins,
        grp_tres_run_mins, grp_wall, preempt, preempt_mode, preempt_exempt_time, priority, usage_factor,
        usage_thres, limit_factor
        """;

    /// <summary>DBD_GET_QOS: id order, as the reference returns them (no ORDER BY there, primary key in practice).</summary>
    public List<QosRecord> Find(SqlScope scope, QosCondition condition)
    {
        var filter = new SqlFilter();
        if (condition.WithDeleted == 0)
            filter.Where("deleted = 0");
        filter.InNumbers("id", condition.IdList).In("name", condition.NameList).In("description", condition.DescriptionList);
        if (condition.PreemptMode is not 0 and not SlurmValues.NoVal16)
            filter.Where("(preempt_mode & @value) <> 0", condition.PreemptMode);
        return scope.Connection.Query<QosRow>($"SELECT {Columns} FROM qos{filter.WhereClause} ORDER BY id", filter.Parameters, scope.Transaction)
            .Select(ToRecord).ToList();
    }

    private static QosRecord ToRecord(QosRow row) => new()
    {
        Description = ColumnText.NullIfEmpty(row.Description),
        Id = row.Id,
        Flags = row.Flags,
        GraceTime = row.GraceTime ?? 0,
        GrpTresMins = ColumnText.NullIfEmpty(row.GrpTresMins),
        GrpTresRunMins = ColumnText.NullIfEmpty(row.GrpTresRunMins),
        GrpTres = ColumnText.NullIfEmpty(row.GrpTres),
        GrpJobs = row.GrpJobs ?? SlurmValues.Infinite,
        GrpJobsAccrue = row.GrpJobsAccrue ?? SlurmValues.Infinite,
        GrpSubmitJobs = row.GrpSubmitJobs ?? SlurmValues.Infinite,
        GrpWall = row.GrpWall ?? SlurmValues.Infinite,
        MaxTresMinsPerJob = ColumnText.NullIfEmpty(row.MaxTresMinsPj),
        MaxTresRunMinsPerAccount = ColumnText.NullIfEmpty(row.MaxTresRunMinsPa),
        MaxTresRunMinsPerUser = ColumnText.NullIfEmpty(row.MaxTresRunMinsPu),
        MaxTresPerAccount = ColumnText.NullIfEmpty(row.MaxTresPa),
        MaxTresPerJob = ColumnText.NullIfEmpty(row.MaxTresPj),
        MaxTresPerNode = ColumnText.NullIfEmpty(row.MaxTresPn),
        MaxTresPerUser = ColumnText.NullIfEmpty(row.MaxTresPu),
        MaxJobsPerAccount = row.MaxJobsPa ?? SlurmValues.Infinite,
        MaxJobsPerUser = row.MaxJobsPerUser ?? SlurmValues.Infinite,
        MaxJobsAccruePerAccount = row.MaxJobsAccruePa ?? SlurmValues.Infinite,
        MaxJobsAccruePerUser = row.MaxJobsAccruePu ?? SlurmValues.Infinite,
        MinPrioThreshold = row.MinPrioThresh ?? SlurmValues.Infinite,
        MaxSubmitJobsPerAccount = row.MaxSubmitJobsPa ?? SlurmValues.Infinite,
        MaxSubmitJobsPerUser = row.MaxSubmitJobsPerUser ?? SlurmValues.Infinite,
        MaxWallPerJob = row.MaxWallDurationPerJob ?? SlurmValues.Infinite,
        MinTresPerJob = ColumnText.NullIfEmpty(row.MinTresPj),
        Name = row.Name,
        PreemptBits = PreemptBits(row.Preempt),
        PreemptList = null,
        PreemptMode = (ushort)row.PreemptMode,
        PreemptExemptTime = row.PreemptExemptTime ?? SlurmValues.Infinite,
        Priority = row.Priority ?? 0,
        UsageFactor = row.UsageFactor,
        UsageThreshold = row.UsageThres ?? SlurmValues.Infinite,
        LimitFactor = row.LimitFactor ?? SlurmValues.Infinite,
    };

    /// <summary>
    /// The preempted QOS ids (",2,5,") as pack_bit_str_hex sends them: one bit per id up to the largest,
    /// or no bitmap when the QOS preempts nothing.
    /// </summary>
    public static SlurmBitString? PreemptBits(string preempt)
    {
        var ids = preempt.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(uint.Parse).ToList();
        if (ids.Count == 0)
            return null;
        uint bitCount = ids.Max() + 1;
        var nibbles = new byte[(bitCount + 3) / 4];
        foreach (uint id in ids)
            nibbles[nibbles.Length - 1 - id / 4] |= (byte)(1 << (int)(id % 4));
        return new SlurmBitString(bitCount, "0x" + string.Concat(nibbles.Select(n => n.ToString("X"))));
    }

    /// <summary>
    /// The default QOS (slurmdbd.conf DefaultQOS, else "normal") exist and are not deleted; their ids
    /// become new clusters' root association QOS list (records spec §9.1).
    /// </summary>
    public List<uint> EnsureDefaultQos(SqlScope scope, IReadOnlyList<string> defaultQosNames, long now)
    {
        var ids = new List<uint>();
        foreach (string name in defaultQosNames)
        {
            string description = defaultQosNames.Count == 1 && name == "normal" ? "Normal QOS default" : "Added as default";
            scope.Connection.Execute("""
                INSERT INTO qos (creation_time, mod_time, name, description) VALUES (@Now, @Now, @Name, @Description)
                ON DUPLICATE KEY UPDATE deleted = 0
                """, new { Now = now, Name = name, Description = description }, scope.Transaction);
            ids.Add(scope.Connection.ExecuteScalar<uint>("SELECT id FROM qos WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256))",
                new { Name = name }, scope.Transaction));
        }
        return ids;
    }
}
