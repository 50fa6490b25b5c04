using System.Text;
using Dapper;

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
