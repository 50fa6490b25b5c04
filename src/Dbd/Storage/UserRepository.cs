using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>slurmdb_admin_level_t as stored in user.admin_level.</summary>
public enum AdminLevel : ushort
{
    NotSet = 0,
    None = 1,
    Operator = 2,
    Administrator = 3,
}

/// <summary>The user table: accounting users, their admin levels.</summary>
public sealed class UserRepository
{
    public AdminLevel AdminLevelOf(SqlScope scope, string userName) =>
        (AdminLevel)scope.Connection.ExecuteScalar<ushort?>(
            "SELECT admin_level FROM `user` WHERE name_hash = UNHEX(SHA2(RTRIM(@Name), 256)) AND deleted = 0",
            new { Name = userName }, scope.Transaction).GetValueOrDefault((ushort)AdminLevel.None);

    /// <summary>User root is an Administrator from the first start on (records spec §9.1).</summary>
    public void EnsureRootUser(SqlScope scope, long now) => scope.Connection.Execute("""
        INSERT INTO `user` (creation_time, mod_time, name, admin_level) VALUES (@Now, @Now, 'root', 3)
        ON DUPLICATE KEY UPDATE deleted = 0
        """, new { Now = now }, scope.Transaction);
}
