namespace Accounting.Dbd.Configuration;

/// <summary>One <c>Key=Value</c> setting as written, before its key or value is interpreted.</summary>
internal sealed record ConfigEntry(string Key, string Value, ConfigLocation Location);
