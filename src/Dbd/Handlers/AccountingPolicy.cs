namespace Accounting.Dbd.Handlers;

/// <summary>The slurmdbd.conf settings that change what handlers accept (from AllowNoDefAcct and friends).</summary>
public sealed record AccountingPolicy(bool AllowNoDefaultAccount);
