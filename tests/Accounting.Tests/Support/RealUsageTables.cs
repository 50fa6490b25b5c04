using Dapper;
using MySql.Data.MySqlClient;

namespace Accounting.Tests.Support;

/// <summary>
/// The usage rows the real slurmdbd 22.05.8 rolled up from <see cref="UsageDataSet"/>
/// (Fixtures/RealOutput/sreport-usage-tables: its alpha_usage_hour/day/month_table and
/// alpha_assoc_usage_hour/day/month_table, associations named by account and user instead of the real ids, and
/// the unused_wall its rollup wrote into the reservation row), written into our tables so the read path
/// can be compared on exactly the real numbers.
/// </summary>
public static class RealUsageTables
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "RealOutput", "sreport-usage-tables");

    public static void Insert(MySqlConnection database, string cluster)
    {
        uint clusterId = database.ExecuteScalar<uint>("SELECT id FROM cluster WHERE name = @cluster", new { cluster });
        foreach (string granularity in new[] { "hour", "day", "month" })
        {
            // Whatever a rollup of ours may already have written gives way to the real rows.
            database.Execute($"DELETE FROM cluster_usage_{granularity} WHERE cluster_id = @clusterId", new { clusterId });
            database.Execute($"DELETE FROM assoc_usage_{granularity} WHERE cluster_id = @clusterId", new { clusterId });
            foreach (var row in Rows($"cluster_usage_{granularity}.tsv"))
                database.Execute($"""
                    INSERT INTO cluster_usage_{granularity} (cluster_id, id_tres, time_start, `count`, alloc_secs, down_secs, pdown_secs,
                        idle_secs, plan_secs, over_secs, creation_time, mod_time)
                    VALUES (@clusterId, @t, @s, @c, @a, @d, @p, @i, @pl, @o, UNIX_TIMESTAMP(), UNIX_TIMESTAMP())
                    """, new
                {
                    clusterId, t = row["id_tres"], s = row["time_start"], c = row["count"], a = row["alloc_secs"], d = row["down_secs"],
                    p = row["pdown_secs"], i = row["idle_secs"], pl = row["plan_secs"], o = row["over_secs"],
                });
            foreach (var row in Rows($"assoc_usage_{granularity}.tsv"))
            {
                uint assoc = database.ExecuteScalar<uint>("SELECT id_assoc FROM assoc WHERE cluster_id = @clusterId AND acct = @acct AND `user` = @user",
                    new { clusterId, acct = row["acct"], user = row["user"] });
                Assert.NotEqual(0u, assoc);
                database.Execute($"""
                    INSERT INTO assoc_usage_{granularity} (cluster_id, id_assoc, id_tres, time_start, alloc_secs, creation_time, mod_time)
                    VALUES (@clusterId, @assoc, @t, @s, @a, UNIX_TIMESTAMP(), UNIX_TIMESTAMP())
                    """, new { clusterId, assoc, t = row["id_tres"], s = row["time_start"], a = row["alloc_secs"] });
            }
        }
        SetUnusedWall(database, clusterId);
    }

    private static void SetUnusedWall(MySqlConnection database, uint clusterId)
    {
        foreach (var row in Rows("resv.tsv"))
            Assert.Equal(1, database.Execute("UPDATE resv SET unused_wall = @wall WHERE cluster_id = @clusterId AND id_resv = @id AND time_start = @start",
                new { wall = double.Parse(row["unused_wall"], System.Globalization.CultureInfo.InvariantCulture), clusterId, id = row["id_resv"],
                    start = row["time_start"] }));
    }

    private static IEnumerable<Dictionary<string, string>> Rows(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, file));
        var header = lines[0].Split('\t');
        return lines.Skip(1).Where(line => line.Length > 0)
            .Select(line => header.Zip(line.Split('\t')).ToDictionary(pair => pair.First, pair => pair.Second));
    }
}
