using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>The tres table: ids 1..8 are fixed, 1000 is the deleted dynamic_offset row, new TRES from 1001.</summary>
public sealed class TresRepository
{
    private sealed class TresRow
    {
        public uint Id { get; init; }
        public string Type { get; init; } = "";
        public string Name { get; init; } = "";
    }

    /// <summary>
    /// DBD_GET_TRES: every condition list that is present and non-empty narrows the result; type_list
    /// entries are "type" or "type/name" (records spec §6.7). Ordered by id, counts 0.
    /// </summary>
    public List<TresRecord> Find(SqlScope scope, TresCondition condition)
    {
        var filter = new SqlFilter();
        if (condition.WithDeleted == 0)
            filter.Where("deleted = 0");
        filter.InNumbers("id", condition.IdList).In("name", condition.NameList);
        if (condition.TypeList is { Count: > 0 } types)
            filter.Where("(" + string.Join(" OR ", types.Select(t => TypeClause(filter, t))) + ")");
        return scope.Connection.Query<TresRow>($"SELECT id, type, name FROM tres{filter.WhereClause} ORDER BY id", filter.Parameters, scope.Transaction)
            .Select(row => new TresRecord(0, 0, row.Id, row.Name.Length == 0 ? null : row.Name, row.Type))
            .ToList();
    }

    /// <summary>"type" matches every TRES of that type; "type/name" one TRES.</summary>
    private static string TypeClause(SqlFilter filter, string entry)
    {
        var parts = entry.Split('/', 2);
        string type = filter.Bind("type = @value", parts[0]);
        return parts.Length == 2 ? $"({type} AND {filter.Bind("name = @value", parts[1])})" : type;
    }

    /// <summary>TRES types that only exist with a name (gres/gpu, license/x, bb/x, fs/x, ic/x).</summary>
    private static readonly string[] NamedTypes = ["gres", "bb", "license", "fs", "ic"];

    /// <summary>
    /// DBD_ADD_TRES (as_mysql_add_tres): a type is required, and the named types need a name (else
    /// SLURM_ERROR for that record); names on other types are dropped. An existing (type, name) keeps its
    /// id, new ones get the next from 1001 up. Returns the TRES as stored, for SLURMDB_ADD_TRES.
    /// </summary>
    public (int ReturnCode, List<TresRecord> Added) Add(SqlScope scope, IReadOnlyList<TresRecord> records, long now)
    {
        int rc = SlurmError.Success;
        var added = new List<TresRecord>();
        foreach (var record in records)
        {
            if (string.IsNullOrEmpty(record.Type) || (NamedTypes.Contains(record.Type) && string.IsNullOrEmpty(record.Name)))
            {
                rc = SlurmError.Error;
                continue;
            }
            string name = NamedTypes.Contains(record.Type) ? record.Name! : "";
            scope.Connection.Execute("""
                INSERT INTO tres (creation_time, type, name) VALUES (@Now, @Type, @Name)
                ON DUPLICATE KEY UPDATE deleted = 0
                """, new { Now = now, record.Type, Name = name }, scope.Transaction);
            uint id = scope.Connection.ExecuteScalar<uint>(
                "SELECT id FROM tres WHERE type_hash = UNHEX(SHA2(RTRIM(@Type), 256)) AND name_hash = UNHEX(SHA2(RTRIM(@Name), 256))",
                new { record.Type, Name = name }, scope.Transaction);
            added.Add(new TresRecord(0, 0, id, name.Length == 0 ? null : name, record.Type));
        }
        return (rc, added);
    }

    /// <summary>The rows slurmdbd asserts at every start (records spec §9.1): fixed ids, whatever was there.</summary>
    public void EnsureFixedRows(SqlScope scope, long now)
    {
        var fixedRows = new (uint Id, string Type, string Name, int Deleted)[]
        {
            (1, "cpu", "", 0), (2, "mem", "", 0), (3, "energy", "", 0), (4, "node", "", 0),
            (5, "billing", "", 0), (6, "fs", "disk", 0), (7, "vmem", "", 0), (8, "pages", "", 0),
            (1000, "dynamic_offset", "", 1),
        };
        foreach (var row in fixedRows)
        {
            scope.Connection.Execute("""
                INSERT INTO tres (id, creation_time, deleted, type, name) VALUES (@Id, @Now, @Deleted, @Type, @Name)
                ON DUPLICATE KEY UPDATE deleted = VALUES(deleted), type = VALUES(type), name = VALUES(name)
                """, new { row.Id, Now = now, row.Deleted, row.Type, row.Name }, scope.Transaction);
        }
    }
}
