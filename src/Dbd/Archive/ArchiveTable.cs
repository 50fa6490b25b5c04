using Accounting.Model.Records;

namespace Accounting.Dbd.Archive;

/// <summary>Which Purge*After setting governs a table (the purge_* fields of the archive condition).</summary>
public enum PurgeTarget
{
    Event,
    Suspend,
    Step,
    Job,
    Reservation,
    Transaction,
    Usage,
}

/// <summary>
/// One purgeable table of our schema and how the reference selects its old rows (as_mysql_archive.c
/// _archive_table / _archive_purge_table): jobs by time_submit, transactions by timestamp and cluster
/// name, usage by time_start, every other table by time_start and only rows that ended (time_end != 0).
/// </summary>
public sealed record ArchiveTable(
    PurgeTarget Target,
    ArchiveKind Kind,
    string Table,
    string ReferenceTable,
    string TimeColumn,
    bool EndedOnly,
    IReadOnlyList<string> Key,
    IReadOnlyList<string> PrimaryKey,
    ushort Period = 0,
    string? IdColumn = null)
{
    public const ushort RollupHour = 0;
    public const ushort RollupDay = 1;
    public const ushort RollupMonth = 2;

    /// <summary>The transaction log keeps cluster names, not ids (0001_entities.sql).</summary>
    public bool ByClusterName => Target == PurgeTarget.Transaction;

    /// <summary>Our column for an archive field: only the usage files' "id" is named differently here.</summary>
    public string Column(string field) => field == "id" && IdColumn is not null ? IdColumn : field;

    /// <summary>The rows older than @End of the cluster (@ClusterId, or @ClusterName for transactions).</summary>
    public string Where =>
        (ByClusterName ? "cluster = @ClusterName" : "cluster_id = @ClusterId")
        + $" AND `{TimeColumn}` <= @End" + (EndedOnly ? " AND time_end <> 0" : "");

    /// <summary>
    /// The time column, then the rest of the index the WHERE uses (its columns, then the primary key that
    /// InnoDB appends): archive select and delete must see the same rows in the same order, the
    /// reference's ORDER BY on the time alone leaves ties to chance, and an order that is not the index
    /// order would sort every old row again for each chunk.
    /// </summary>
    public string OrderBy => string.Join(", ", new[] { TimeColumn }.Concat(Key).Select(column => $"`{column}`"));

    /// <summary>
    /// One chunk, oldest first. The chunk is picked in a derived table, which reads the time index in
    /// order, and deleted by primary key: a plain DELETE ... ORDER BY ... LIMIT is planned by MariaDB as a
    /// scan of the whole cluster with a sort, which takes (and locks) every row of it for each chunk.
    /// </summary>
    public string DeleteChunk
    {
        get
        {
            string key = string.Join(", ", PrimaryKey.Select(column => $"`{column}`"));
            return $"DELETE {Table} FROM {Table} JOIN (SELECT {key} FROM {Table} WHERE {Where} ORDER BY {OrderBy} LIMIT @Limit) AS chunk USING ({key})";
        }
    }

    public static readonly ArchiveTable Events = new(PurgeTarget.Event, ArchiveKind.Events, "event", "event_table",
        "time_start", true, ["time_end", "id"], ["id"]);
    public static readonly ArchiveTable Suspends = new(PurgeTarget.Suspend, ArchiveKind.Suspends, "suspend", "suspend_table",
        "time_start", true, ["time_end", "job_db_inx"], ["job_db_inx", "time_start"]);
    public static readonly ArchiveTable Steps = new(PurgeTarget.Step, ArchiveKind.Steps, "step", "step_table",
        "time_start", true, ["time_end", "job_db_inx", "id_step", "step_het_comp"], ["job_db_inx", "id_step", "step_het_comp"]);
    public static readonly ArchiveTable Jobs = new(PurgeTarget.Job, ArchiveKind.Jobs, "job", "job_table",
        "time_submit", true, ["time_end", "job_db_inx"], ["job_db_inx"]);
    public static readonly ArchiveTable Reservations = new(PurgeTarget.Reservation, ArchiveKind.Reservations, "resv", "resv_table",
        "time_start", true, ["time_end", "id_resv"], ["cluster_id", "id_resv", "time_start"]);
    public static readonly ArchiveTable Transactions = new(PurgeTarget.Transaction, ArchiveKind.Transactions, "txn", "txn_table",
        "timestamp", false, ["id"], ["id"]);

    private static readonly string[] Periods = ["hour", "day", "month"];

    private static IEnumerable<ArchiveTable> UsageTables() => Periods.SelectMany((period, index) => new[]
    {
        new ArchiveTable(PurgeTarget.Usage, ArchiveKind.AssociationUsage, $"assoc_usage_{period}", $"assoc_usage_{period}_table",
            "time_start", false, ["id_assoc", "id_tres"], ["cluster_id", "id_assoc", "time_start", "id_tres"], (ushort)index, "id_assoc"),
        new ArchiveTable(PurgeTarget.Usage, ArchiveKind.WckeyUsage, $"wckey_usage_{period}", $"wckey_usage_{period}_table",
            "time_start", false, ["id_wckey", "id_tres"], ["cluster_id", "id_wckey", "time_start", "id_tres"], (ushort)index, "id_wckey"),
        new ArchiveTable(PurgeTarget.Usage, ArchiveKind.ClusterUsage, $"cluster_usage_{period}", $"usage_{period}_table",
            "time_start", false, ["id_tres"], ["cluster_id", "time_start", "id_tres"], (ushort)index),
    });

    /// <summary>The order _execute_archive works in: events, suspends, steps, jobs, reservations, transactions, usage by period.</summary>
    public static IReadOnlyList<ArchiveTable> InPurgeOrder { get; } =
        [Events, Suspends, Steps, Jobs, Reservations, Transactions, .. UsageTables()];

    public static ArchiveTable? For(ArchiveKind kind, ushort period) =>
        InPurgeOrder.FirstOrDefault(table => table.Kind == kind && (!kind.HasPeriod || table.Period == period));
}
