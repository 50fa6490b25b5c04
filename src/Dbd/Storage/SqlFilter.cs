using System.Collections;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using MySql.Data.MySqlClient;

namespace Accounting.Dbd.Storage;

/// <summary>
/// The WHERE clause of a GET: slurmdbd applies a condition list only when it is present and non-empty
/// (records spec §0.3), and every value is a bound parameter, never text in the SQL.
/// </summary>
public sealed class SqlFilter
{
    private readonly StringBuilder _clauses = new();
    private int _parameterCount;

    public DynamicParameters Parameters { get; } = new();

    public string WhereClause => _clauses.Length == 0 ? "" : " WHERE " + _clauses;

    public SqlFilter Where(string clause)
    {
        if (_clauses.Length > 0)
            _clauses.Append(" AND ");
        _clauses.Append(clause);
        return this;
    }

    /// <summary>A clause with one parameter, written as @value inside <paramref name="clause"/>.</summary>
    public SqlFilter Where(string clause, object value) => Where(Bind(clause, value));

    /// <summary>Binds @value of <paramref name="clause"/> to a new parameter; for clauses combined with OR.</summary>
    public string Bind(string clause, object value)
    {
        string name = $"p{_parameterCount++}";
        Parameters.Add(name, value);
        return clause.Replace("@value", "@" + name);
    }

    /// <summary>
    /// <paramref name="sql"/> as a command with these parameters, for reading a large answer straight from
    /// the data reader; a list parameter becomes a list of parameters, as Dapper expands "IN @list".
    /// </summary>
    public MySqlCommand Command(SqlScope scope, string sql)
    {
        var command = new MySqlCommand { Connection = scope.Connection, Transaction = scope.Transaction };
        foreach (string name in Parameters.ParameterNames)
        {
            object value = Parameters.Get<object>(name);
            if (value is IEnumerable list and not string)
            {
                var names = new List<string>();
                foreach (object item in list)
                {
                    names.Add($"@{name}_{names.Count}");
                    command.Parameters.AddWithValue(names[^1], item);
                }
                sql = Regex.Replace(sql, $@"@{name}(?!\w)", "(" + string.Join(", ", names) + ")");
            }
            else
                command.Parameters.AddWithValue("@" + name, value);
        }
        command.CommandText = sql;
        return command;
    }

    public SqlFilter In(string column, IReadOnlyCollection<string>? values) =>
        values is { Count: > 0 } ? Where($"{column} IN @value", values) : this;

    /// <summary>Ids sent as decimal strings; one that is not a number matches nothing, as in SQL.</summary>
    public SqlFilter InNumbers(string column, IReadOnlyCollection<string>? values) =>
        values is { Count: > 0 } ? Where($"{column} IN @value", values.Select(v => long.TryParse(v, out long n) ? n : -1).ToList()) : this;
}

/// <summary>How empty text columns travel: the reference sends NULL for an empty value.</summary>
public static class ColumnText
{
    public static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
