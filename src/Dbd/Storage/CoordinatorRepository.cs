using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>The acct_coord table: who coordinates which accounts.</summary>
public sealed class CoordinatorRepository
{
    /// <summary>
    /// The accounts a user coordinates: those named for them, and every account below those in any
    /// cluster's tree, since a coordinator of an account coordinates its sub-accounts too.
    /// </summary>
    public List<string> AccountsCoordinatedBy(SqlScope scope, string user) => scope.Connection.Query<string>("""
        SELECT acct FROM acct_coord WHERE user_hash = UNHEX(SHA2(RTRIM(@User), 256)) AND deleted = 0
        UNION
        SELECT DISTINCT below.acct FROM acct_coord c
        JOIN assoc top ON top.acct = c.acct AND top.`user` = '' AND top.deleted = 0
        JOIN assoc below ON below.cluster_id = top.cluster_id AND below.`user` = '' AND below.deleted = 0
            AND below.lft BETWEEN top.lft AND top.rgt
        WHERE c.user_hash = UNHEX(SHA2(RTRIM(@User), 256)) AND c.deleted = 0
        """, new { User = user }, scope.Transaction).ToList();
}
