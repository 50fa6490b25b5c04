using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Accounting.Dbd.Storage;

/// <summary>One numbered file of migrations/, embedded in the daemon so a build always carries its schema.</summary>
public sealed partial record Migration(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the file text: an applied migration must never change afterwards.</summary>
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));

    /// <summary>Statements end with ';' at the end of a line (the format migrations/ is written in).</summary>
    public IEnumerable<string> Statements() => StatementEnd().Split(Sql)
        .Select(statement => statement.Trim())
        .Where(statement => statement.Split('\n').Any(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith("--")));

    public static IReadOnlyList<Migration> Embedded()
    {
        var assembly = typeof(Migration).Assembly;
        var migrations = new List<Migration>();
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
                continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value), match.Groups["name"].Value, reader.ReadToEnd()));
        }
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"two migrations numbered {duplicate.Key}");
        return migrations.OrderBy(m => m.Version).ToList();
    }

    [GeneratedRegex(@";[ \t]*\r?\n|;[ \t]*$")]
    private static partial Regex StatementEnd();

    [GeneratedRegex(@"\.Migrations\.(?<name>(?<version>\d+)_[A-Za-z0-9_]+\.sql)$")]
    private static partial Regex ResourceName();
}
