using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>The acct table: accounts.</summary>
public sealed class AccountRepository
{
    /// <summary>Account root exists from the first start on (records spec §9.1).</summary>
    public void EnsureRootAccount(SqlScope scope, long now) => scope.Connection.Execute("""
        INSERT INTO acct (creation_time, mod_time, name, description, organization)
        VALUES (@Now, @Now, 'root', 'default root account', 'root')
        ON DUPLICATE KEY UPDATE deleted = 0
        """, new { Now = now }, scope.Transaction);
}
