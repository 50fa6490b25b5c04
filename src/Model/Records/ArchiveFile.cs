using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>
/// What one archive file holds (as_mysql_archive.c _pack_archive_*): rows of one table, each column as
/// the text the database returned for it, packed as strings in the file order of
/// <see cref="ArchiveKind.Fields"/>. A NULL column is a NULL string, so "" and NULL stay apart.
/// </summary>
public sealed record ArchiveFile(ushort Version, long Written, ArchiveKind Kind, string? Cluster, ushort Period,
    IReadOnlyList<string?[]> Rows)
{
    /// <summary>
    /// Header: u16 protocol version, time written, u16 record type (a DBD message number), cluster name,
    /// u32 record count, and for usage files a u16 period (DBD_ROLLUP_HOUR 0, DAY 1, MONTH 2); then the rows.
    /// </summary>
    public void Pack(SlurmWriter writer)
    {
        writer.WriteU16(Version);
        writer.WriteTime(Written);
        writer.WriteU16((ushort)Kind.Type);
        writer.WriteString(Cluster);
        writer.WriteU32((uint)Rows.Count);
        if (Kind.HasPeriod)
            writer.WriteU16(Period);
        foreach (var row in Rows)
        {
            if (row.Length != Kind.Fields.Count)
                throw new ArgumentException($"a {Kind.Name} row has {row.Length} columns, not {Kind.Fields.Count}");
            foreach (string? column in row)
                writer.WriteString(column);
        }
    }

    /// <summary>The version in the first two bytes, or null when there are not two bytes.</summary>
    public static ushort? PeekVersion(ReadOnlySpan<byte> data) =>
        data.Length < 2 ? null : (ushort)(data[0] << 8 | data[1]);

    /// <summary>
    /// Only 22.05 files: older layouts differ field by field (_unpack_local_* per version) and are not
    /// implemented. Throws <see cref="WireFormatException"/> for anything that is not a complete file.
    /// </summary>
    public static ArchiveFile Unpack(ReadOnlySpan<byte> data)
    {
        var reader = new SlurmReader(data);
        ushort version = reader.ReadU16();
        if (version != ProtocolVersion.Current)
            throw new WireFormatException(0, $"archive version {version}, only {ProtocolVersion.Current} (22.05) is read");
        long written = reader.ReadTime();
        int typeAt = reader.Position;
        ushort type = reader.ReadU16();
        var kind = ArchiveKind.OfType((DbdMessageType)type)
            ?? throw new WireFormatException(typeAt, $"unknown archive record type {type}");
        string? cluster = reader.ReadString();
        int countAt = reader.Position;
        uint count = reader.ReadU32();
        // Every column is at least its 4-byte length.
        if (count > reader.Remaining / (4 * kind.Fields.Count))
            throw new WireFormatException(countAt, $"{count} records cannot fit in {reader.Remaining} bytes");
        ushort period = kind.HasPeriod ? reader.ReadU16() : (ushort)0;
        var rows = new List<string?[]>((int)count);
        for (uint i = 0; i < count; i++)
        {
            var row = new string?[kind.Fields.Count];
            for (int column = 0; column < row.Length; column++)
                row[column] = reader.ReadString();
            rows.Add(row);
        }
        if (reader.Remaining != 0)
            throw new WireFormatException(reader.Position, $"{reader.Remaining} bytes after the last record");
        return new ArchiveFile(version, written, kind, cluster, period, rows);
    }
}

/// <summary>
/// The tables slurmdbd archives, each with the record type its files carry and their column order
/// (the _pack_local_* functions; names are the reference's column names).
/// </summary>
public sealed class ArchiveKind
{
    private ArchiveKind(string name, DbdMessageType type, bool hasPeriod, params string[] fields)
    {
        Name = name;
        Type = type;
        HasPeriod = hasPeriod;
        Fields = fields;
    }

    public string Name { get; }
    public DbdMessageType Type { get; }
    public bool HasPeriod { get; }
    public IReadOnlyList<string> Fields { get; }

    public int IndexOf(string field)
    {
        int index = ((string[])Fields).AsSpan().IndexOf(field);
        return index >= 0 ? index : throw new ArgumentException($"{Name} archives have no {field}");
    }

    public override string ToString() => Name;

    public static readonly ArchiveKind Events = new("events", DbdMessageType.GotEvents, false,
        "cluster_nodes", "node_name", "time_end", "time_start", "reason", "reason_uid", "state", "tres");

    public static readonly ArchiveKind Jobs = new("jobs", DbdMessageType.GotJobs, false,
        "account", "admin_comment", "nodes_alloc", "id_assoc", "id_array_job", "array_max_tasks", "id_array_task",
        "array_task_pending", "array_task_str", "script_hash_inx", "id_block", "constraints", "container", "deleted",
        "derived_ec", "derived_es", "env_hash_inx", "exit_code", "flags", "timelimit", "time_eligible", "time_end",
        "id_group", "gres_used", "job_db_inx", "id_job", "kill_requid", "mcs_label", "mod_time", "job_name",
        "nodelist", "node_inx", "het_job_id", "het_job_offset", "partition", "priority", "id_qos", "cpus_req",
        "mem_req", "id_resv", "time_start", "state", "state_reason_prev", "time_submit", "time_suspended",
        "submit_line", "system_comment", "tres_alloc", "tres_req", "id_user", "wckey", "id_wckey", "work_dir");

    public static readonly ArchiveKind Reservations = new("reservations", DbdMessageType.GotResvs, false,
        "assoclist", "deleted", "flags", "id_resv", "resv_name", "nodelist", "node_inx", "time_end", "time_start",
        "tres", "unused_wall");

    /// <summary>req_cpufreq is the maximum (req_cpufreq_max of the reference's record).</summary>
    public static readonly ArchiveKind Steps = new("steps", DbdMessageType.StepStart, false,
        "act_cpufreq", "deleted", "exit_code", "consumed_energy", "container", "job_db_inx", "kill_requid",
        "step_name", "nodelist", "nodes_alloc", "node_inx", "time_end", "time_start", "time_suspended",
        "req_cpufreq_min", "req_cpufreq", "req_cpufreq_gov", "state", "id_step", "step_het_comp", "submit_line",
        "sys_sec", "sys_usec", "task_cnt", "task_dist", "tres_alloc", "tres_usage_in_ave", "tres_usage_in_max",
        "tres_usage_in_max_nodeid", "tres_usage_in_max_taskid", "tres_usage_in_min", "tres_usage_in_min_nodeid",
        "tres_usage_in_min_taskid", "tres_usage_in_tot", "tres_usage_out_ave", "tres_usage_out_max",
        "tres_usage_out_max_nodeid", "tres_usage_out_max_taskid", "tres_usage_out_min", "tres_usage_out_min_nodeid",
        "tres_usage_out_min_taskid", "tres_usage_out_tot", "user_sec", "user_usec");

    public static readonly ArchiveKind Suspends = new("suspends", DbdMessageType.JobSuspend, false,
        "id_assoc", "job_db_inx", "time_end", "time_start");

    public static readonly ArchiveKind Transactions = new("transactions", DbdMessageType.GotTxn, false,
        "id", "timestamp", "action", "name", "actor", "info", "cluster");

    /// <summary>id is the association id.</summary>
    public static readonly ArchiveKind AssociationUsage = new("association usage", DbdMessageType.GotAssocUsage, true,
        "id", "id_tres", "time_start", "alloc_secs", "creation_time", "mod_time", "deleted");

    /// <summary>id is the wckey id.</summary>
    public static readonly ArchiveKind WckeyUsage = new("wckey usage", DbdMessageType.GotWckeyUsage, true,
        "id", "id_tres", "time_start", "alloc_secs", "creation_time", "mod_time", "deleted");

    public static readonly ArchiveKind ClusterUsage = new("cluster usage", DbdMessageType.GotClusterUsage, true,
        "id_tres", "time_start", "count", "alloc_secs", "down_secs", "pdown_secs", "idle_secs", "plan_secs",
        "over_secs", "creation_time", "mod_time", "deleted");

    public static IReadOnlyList<ArchiveKind> All { get; } =
        [Events, Jobs, Reservations, Steps, Suspends, Transactions, AssociationUsage, WckeyUsage, ClusterUsage];

    public static ArchiveKind? OfType(DbdMessageType type) => All.FirstOrDefault(kind => kind.Type == type);
}
