using System.Diagnostics;
using Accounting.Dbd.Rollup;
using Accounting.Tests.Support;
using Dapper;
using Xunit.Abstractions;

namespace Accounting.Tests.Dbd.Rollup;

/// <summary>An hour with 100,000 jobs: every job's time is in the sums (and the elapsed time is reported).</summary>
[Collection(ServicesCollection.Name)]
public sealed class LargeRollupTests(SharedServices services, ITestOutputHelper output)
{
    private const long H = 1_779_998_400;

    [Fact]
    public async Task An_hour_with_a_hundred_thousand_jobs_rolls_up_to_their_sum()
    {
        var db = new RollupDatabase(services, H + 7200);
        db.Registration(H - 3600, 0, "1=100000,2=10000000");
        using (var connection = db.Open())
            connection.Execute("""
                INSERT INTO job (cluster_id, id_job, id_user, id_group, id_assoc, time_submit, time_eligible, time_start, time_end, tres_alloc, cpus_req)
                SELECT @ClusterId, seq, 1000, 1000, seq % 100 + 1, @Start, @Start, @Start, IF(seq % 2 = 0, 0, @End), '1=1,2=100,4=1', 1
                FROM seq_1_to_100000
                """, new { db.ClusterId, Start = H - 60, End = H + 3600 }, commandTimeout: 600);

        var watch = Stopwatch.StartNew();
        var pass = await db.NewRollup().RunAsync(RollupTrigger.Request, H, H + 3600);
        output.WriteLine($"hourly rollup of 100,000 jobs: {watch.ElapsedMilliseconds} ms");

        Assert.True(pass.Ok, db.Errors.ToString());
        Assert.Equal(new RollupDatabase.ClusterRow(1, 100_000, 360_000_000, 0, 0, 0, 0, 0), db.ClusterRows("hour", H)[0]);
        var assocs = db.IdRows("assoc_usage_hour", H);
        Assert.Equal(300, assocs.Count);
        Assert.All(assocs.Where(row => row.Tres == 1), row => Assert.Equal(1000ul * 3600, row.Alloc));
    }
}
