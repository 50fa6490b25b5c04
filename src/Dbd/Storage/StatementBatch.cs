using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using MySql.Data.MySqlClient;

namespace Accounting.Dbd.Storage;

/// <summary>One SQL statement and its parameters (an object whose properties are the @names).</summary>
public readonly record struct Statement(string Sql, object Parameters)
{
    /// <summary>Rows matched (found, not only changed: the driver's default), as Dapper's Execute counts them.</summary>
    public int Execute(SqlScope scope) => scope.Connection.Execute(Sql, Parameters, scope.Transaction);
}

/// <summary>
/// Statements sent to the server in one round trip, where each runs after the one before exactly as if sent
/// alone, with its own copy of the parameters (@Name becomes @Name_i). A selecting statement answers the
/// single value its last SELECT returns, read back in order. A required one must match a row (ROW_COUNT(),
/// which counts found rows as the driver asks): when it matches none the server stops there with a SIGNAL
/// (error 1644, ER_SIGNAL_EXCEPTION), so the batch costs no result per statement. SQL without parameters or answer (a
/// SAVEPOINT) may go in between.
/// </summary>
public sealed partial class StatementBatch
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    private readonly StringBuilder _sql = new();
    private readonly List<MySqlParameter> _parameters = [];
    private int _statements;

    /// <summary>The answers the batch will read back.</summary>
    public int Answers { get; private set; }

    /// <summary>Adds a statement that must match a row.</summary>
    public void AddRequired(Statement statement)
    {
        Add(statement);
        _sql.Append("IF ROW_COUNT() = 0 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'statement batch: no row'; END IF;\n");
    }

    /// <summary>Adds a statement whose outcome does not matter to the caller.</summary>
    public void AddUnchecked(Statement statement) => Add(statement);

    /// <summary>Adds a statement that ends in a SELECT of one value; returns the position of its answer.</summary>
    public int AddSelecting(Statement statement)
    {
        Add(statement);
        return Answers++;
    }

    /// <summary>Adds SQL without parameters or an answer (SAVEPOINT).</summary>
    public void AddPlain(string sql) => _sql.Append(sql).Append(";\n");

    private void Add(Statement statement)
    {
        int i = _statements++;
        _sql.Append(ParameterName().Replace(statement.Sql, $"@$1_{i}")).Append(";\n");
        foreach (var property in Properties.GetOrAdd(statement.Parameters.GetType(), type => type.GetProperties()))
            _parameters.Add(new MySqlParameter($"@{property.Name}_{i}", property.GetValue(statement.Parameters) ?? DBNull.Value));
    }

    /// <summary>
    /// Runs everything added (one round trip) and returns the answers in the order they were added. The
    /// driver's own command, not Dapper's: Dapper would hash and cache the whole text of every batch.
    /// </summary>
    public IReadOnlyList<long> Execute(SqlScope scope)
    {
        if (_sql.Length == 0)
            return [];
        using var command = new MySqlCommand(_sql.ToString(), scope.Connection, scope.Transaction);
        command.Parameters.AddRange(_parameters.ToArray());
        using var reader = command.ExecuteReader();
        var answers = new long[Answers];
        for (int i = 0; i < answers.Length; i++)
        {
            if (i > 0 && !reader.NextResult() || !reader.Read())
                throw new InvalidOperationException($"statement batch answered {i} of {answers.Length} values");
            answers[i] = Convert.ToInt64(reader.GetValue(0));
        }
        // The statements after the last answer run (and may fail) while the reader moves past them.
        while (reader.NextResult())
        {
        }
        return answers;
    }

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex ParameterName();
}
