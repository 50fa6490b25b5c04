using Accounting.Model.Messages;
using Accounting.Model.Records;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>
/// _get_wckeyid of as_mysql_job.c, for TrackWCKey=yes: a job start takes the wckey named by the job, or "*" +
/// the user's default wckey ("*" alone without one) when it names none, and the wckey is created for the
/// job's user on the cluster when it does not exist (with the name without "*" too, so the user's real key
/// exists). The job row then carries that name and its id_wckey. The user comes from the job's association,
/// not its uid, as the reference does: a user may have no Unix account on the accounting host.
/// </summary>
public sealed class JobWckeys(WckeyRepository wckeys)
{
    /// <summary>
    /// The reference looks the wckey up on a job's first start record (no db_index yet) and whenever the
    /// record names a wckey; otherwise the row keeps what it has.
    /// </summary>
    public static bool Applies(JobStartMessage job) =>
        job.AssocId != 0 && (job.DbIndex == 0 || job.DbIndex == JobStartMessage.DbIndexPending || !string.IsNullOrEmpty(job.Wckey));

    /// <summary>Sets the job row's wckey; returns the wckeys it had to create, for the controllers' update.</summary>
    public List<WckeyRecord> Apply(SqlScope scope, uint clusterId, string clusterName, ulong jobIndex, JobStartMessage job, ChangeContext change)
    {
        string? user = scope.Connection.ExecuteScalar<string?>(
            "SELECT `user` FROM assoc WHERE cluster_id = @ClusterId AND id_assoc = @AssocId",
            new { ClusterId = clusterId, job.AssocId }, scope.Transaction);
        if (string.IsNullOrEmpty(user))
            return [];
        string name = string.IsNullOrEmpty(job.Wckey) ? "*" + (DefaultOf(scope, clusterId, user) ?? "") : job.Wckey;
        uint? id = IdOf(scope, clusterId, name, user);
        List<WckeyRecord> added = [];
        if (id is null)
        {
            var missing = new List<WckeyRecord> { new() { Name = name, User = user, Cluster = clusterName } };
            if (name.StartsWith('*') && IdOf(scope, clusterId, name[1..], user) is null)
                missing.Insert(0, new WckeyRecord { Name = name[1..], User = user, Cluster = clusterName });
            added = wckeys.Add(scope, missing, change).Added;
            id = IdOf(scope, clusterId, name, user);
        }
        scope.Connection.Execute("UPDATE job SET wckey = @Name, id_wckey = @Id WHERE job_db_inx = @JobIndex",
            new { Name = name, Id = id ?? 0, JobIndex = jobIndex }, scope.Transaction);
        return added;
    }

    private static string? DefaultOf(SqlScope scope, uint clusterId, string user) => scope.Connection.ExecuteScalar<string?>("""
        SELECT wckey_name FROM wckey
        WHERE cluster_id = @ClusterId AND user_hash = UNHEX(SHA2(RTRIM(@User), 256)) AND is_def = 1 AND deleted = 0 LIMIT 1
        """, new { ClusterId = clusterId, User = user }, scope.Transaction);

    private static uint? IdOf(SqlScope scope, uint clusterId, string name, string user) => scope.Connection.ExecuteScalar<uint?>("""
        SELECT id_wckey FROM wckey
        WHERE cluster_id = @ClusterId AND wckey_name_hash = UNHEX(SHA2(RTRIM(@Name), 256))
            AND user_hash = UNHEX(SHA2(RTRIM(@User), 256)) AND deleted = 0
        """, new { ClusterId = clusterId, Name = name, User = user }, scope.Transaction);
}
