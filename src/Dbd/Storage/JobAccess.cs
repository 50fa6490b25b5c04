using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>
/// Whose jobs a user who is not an operator may see when PrivateData=jobs or a script or environment is
/// asked for (_cluster_get_jobs; records spec §8.6): jobs of associations that contain one of the user's
/// own associations or an association of an account the user coordinates.
/// </summary>
public sealed record JobAccess(string User, IReadOnlyCollection<string> CoordinatedAccounts)
{
    /// <summary>The lft of each association the user may see below on one cluster; none means no jobs there.</summary>
    public List<int> VisibleLfts(SqlScope scope, uint clusterId) => scope.Connection.Query<int>(
        CoordinatedAccounts.Count == 0
            ? "SELECT lft FROM assoc WHERE cluster_id = @ClusterId AND `user` = @User"
            : "SELECT lft FROM assoc WHERE cluster_id = @ClusterId AND (`user` = @User OR acct IN @Accounts)",
        new { ClusterId = clusterId, User, Accounts = CoordinatedAccounts }, scope.Transaction).ToList();

    public static void AddTo(SqlFilter filter, IReadOnlyList<int> lfts) =>
        filter.Where("EXISTS (SELECT 1 FROM assoc ta WHERE ta.cluster_id = t1.cluster_id AND ta.id_assoc = t1.id_assoc AND ("
            + string.Join(" OR ", lfts.Select(lft => filter.Bind("@value BETWEEN ta.lft AND ta.rgt", lft))) + "))");
}
