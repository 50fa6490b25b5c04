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
/// alone, with its own copy of the parameters (@Name becomes @Name_i). Each added statement answers one
/// value, read back in order: a counted one the rows it matched (ROW_COUNT(), which counts found rows as the
/// driver asks), a selecting one the single value its last SELECT returns. SQL text without a result (a
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

    /// <summary>Adds a statement answering the rows it matched; returns the position of its answer.</summary>
    public int AddCounted(Statement statement) => Add(statement, "SELECT ROW_COUNT()");

    /// <summary>Adds a statement that ends in a SELECT of one value; returns the position of its answer.</summary>
    public int AddSelecting(Statement statement) => Add(statement, null);

    /// <summary>Adds SQL without parameters or an answer (SAVEPOINT).</summary>
    public void AddPlain(string sql) => _sql.Append(sql).Append(";\n");

    private int Add(Statement statement, string? answer)
    {
        int i = _statements++;
        _sql.Append(ParameterName().Replace(statement.Sql, $"@$1_{i}")).Append(";\n");
        if (answer is not null)
            _sql.Append(answer).Append(";\n");
        foreach (var property in Properties.GetOrAdd(statement.Parameters.GetType(), type => type.GetProperties()))
            _parameters.Add(new MySqlParameter($"@{property.Name}_{i}", property.GetValue(statement.Parameters) ?? DBNull.Value));
        return Answers++;
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
        return answers;
    }

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex ParameterName();
}
