using Accounting.Dbd.Rollup;
using Accounting.Tests.Support;
using static Accounting.Tests.Dbd.Rollup.RollupDatabase;

namespace Accounting.Tests.Dbd.Rollup;

/// <summary>
/// The hourly arithmetic (records spec §10.2, as_mysql_hourly_rollup) on hand-built rows in a real
/// MariaDB; every expected figure is worked out in the comments from the reference's rules. The cluster
/// has 10 CPUs, 1000 MB and 2 nodes: 36,000 CPU-seconds and 3,600,000 MB-seconds an hour.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class HourlyRollupTests(SharedServices services)
{
    /// <summary>20:00 UTC, an hour boundary away from any day boundary.</summary>
    private const long H = 1_779_998_400;
    private const string ClusterTres = "1=10,2=1000,4=2";

    private RollupDatabase Registered()
    {
        var db = new RollupDatabase(services, H + 7200);
        db.Registration(H - 7200, 0, ClusterTres);
        return db;
    }

    private static async Task RollAsync(RollupDatabase db, long start, long end)
    {
        var pass = await db.NewRollup().RunAsync(RollupTrigger.Request, start, end);
        Assert.True(pass.Ok, db.Errors.ToString());
    }

    [Fact]
    public async Task A_job_across_an_hour_boundary_counts_its_seconds_in_each_hour_and_the_node_tres_only_for_its_association()
    {
        var db = Registered();
        db.Job(assoc: 5, eligible: H - 1800, start: H - 1800, end: H + 1800, tres: "1=4,2=100,4=1");
        await RollAsync(db, H - 3600, H + 3600);

        foreach (long hour in new[] { H - 3600, H })
        {
            // 4 CPUs and 100 MB for 1800 s of each hour; idle is the rest.
            Assert.Equal([new ClusterRow(1, 10, 7200, 0, 0, 28800, 0, 0), new ClusterRow(2, 1000, 180_000, 0, 0, 3_420_000, 0, 0)],
                db.ClusterRows("hour", hour));
            Assert.Equal([(5u, 1u, 7200ul), (5u, 2u, 180_000ul), (5u, 4u, 1800ul)], db.IdRows("assoc_usage_hour", hour));
        }
    }

    [Fact]
    public async Task Down_nodes_are_down_future_and_powered_down_cloud_nodes_planned_down_and_maintenance_events_left_to_reservations()
    {
        var db = Registered();
        db.NodeEvent("n1", H + 1200, H + 2400, state: 1, "1=5,2=500,4=1");        // DOWN 1200 s: 6000 CPU-s, 600,000 MB-s
        db.NodeEvent("n2", H - 600, 0, state: 6, "1=1,2=10,4=1");                // FUTURE all hour: 3600, 36,000 planned down
        db.NodeEvent("n4", H, H + 1800, state: 0x80 | 0x1000 | 2, "1=1,4=1");     // CLOUD+POWERED_DOWN 1800 s: 1800 planned down
        db.NodeEvent("n3", H, H + 3600, state: 0x8000 | 1, "1=2,4=1");           // MAINT: not an event for the rollup
        await RollAsync(db, H, H + 3600);

        // CPU: 36,000 - 6000 - (3600 + 1800) = 24,600 idle. MB: 3,600,000 - 600,000 - 36,000 = 2,964,000.
        // The node TRES of node events is added to the cluster list too (_add_tres_time_2_list creates what
        // it does not find), with no total to hold it: all of its 1200 + 5400 s come out as over-committed.
        Assert.Equal([new ClusterRow(1, 10, 0, 6000, 5400, 24_600, 0, 0), new ClusterRow(2, 1000, 0, 600_000, 36_000, 2_964_000, 0, 0),
            new ClusterRow(4, 1, 0, 1200, 5400, 0, 6600, 0)], db.ClusterRows("hour", H));
    }

    [Fact]
    public async Task A_reservation_is_allocated_time_and_what_its_jobs_leave_unused_is_split_over_its_associations()
    {
        var db = Registered();
        // 2 CPUs from H+1800: 1800 s of this hour, 3600 CPU-seconds allocated to the cluster.
        db.Reservation(7, H + 1800, H + 5400, "1=2", "n3", "5,6");
        // Maintenance, 3 CPUs all hour: 10,800 planned down. Its empty association list is one entry, "",
        // so all of it goes to association id 0 as unused reservation time.
        db.Reservation(8, H, H + 3600, "1=3", "n9", "", flags: 1);
        // 1 CPU for 900 s in reservation 7. It is charged the reservation's 2 CPUs (1800 of its 3600), and
        // its own 900 s go to association 5 but not again to the cluster.
        db.Job(assoc: 5, eligible: H + 1800, start: H + 1800, end: H + 2700, tres: "1=1", resv: 7);
        await RollAsync(db, H, H + 3600);

        // CPU idle: 36,000 - 3600 - 10,800 = 21,600.
        Assert.Equal([new ClusterRow(1, 10, 3600, 0, 10_800, 21_600, 0, 0), new ClusterRow(2, 1000, 0, 0, 0, 3_600_000, 0, 0)],
            db.ClusterRows("hour", H));
        // Unused 3600 - 1800 = 1800, 900 for each of 5 and 6; 5 also has its job's 900.
        Assert.Equal([(0u, 1u, 10_800ul), (5u, 1u, 1800ul), (6u, 1u, 900ul)], db.IdRows("assoc_usage_hour", H));
        // Unused wall: 1800 s of reservation minus 900 s × 1/2 of its CPUs.
        using var connection = db.Open();
        Assert.Equal(1350.0, Dapper.SqlMapper.ExecuteScalar<double>(connection, "SELECT unused_wall FROM resv WHERE id_resv = 7"));
    }

    [Fact]
    public async Task Suspended_seconds_are_taken_off_the_cpu_time_only()
    {
        var db = Registered();
        ulong job = db.Job(assoc: 5, eligible: H, start: H, end: H + 3600, tres: "1=4,2=100", suspended: 600);
        db.Suspend(job, 5, H + 1000, H + 1600);
        await RollAsync(db, H, H + 3600);

        // 4 CPUs × (3600 - 600) = 12,000; memory stays held: 100 × 3600.
        Assert.Equal([new ClusterRow(1, 10, 12_000, 0, 0, 24_000, 0, 0), new ClusterRow(2, 1000, 360_000, 0, 0, 3_240_000, 0, 0)],
            db.ClusterRows("hour", H));
        Assert.Equal([(5u, 1u, 12_000ul), (5u, 2u, 360_000ul)], db.IdRows("assoc_usage_hour", H));
    }

    [Fact]
    public async Task Waiting_eligible_jobs_are_planned_time_and_what_does_not_fit_is_over_committed()
    {
        var db = Registered();
        db.Job(assoc: 5, eligible: H - 60, start: H - 60, end: 0, tres: "1=8");                  // 28,800 allocated
        db.Job(assoc: 6, eligible: H, start: 0, end: 0, tres: "", cpusReq: 4);                   // waits all hour: 14,400
        db.Job(assoc: 6, eligible: H + 1800, start: 0, end: 0, tres: "", cpusReq: 1, arrayPending: 3); // 1800 × 3 tasks: 5400
        db.Job(assoc: 7, eligible: H, start: H + 600, end: H + 1200, tres: "1=1", cpusReq: 1);   // waits 600, runs 600
        await RollAsync(db, H, H + 3600);

        // Allocated 29,400, planned 20,400: 13,800 more than the 36,000 there are, so planned becomes
        // 6600 and 13,800 is over-committed; nothing idle.
        Assert.Equal(new ClusterRow(1, 10, 29_400, 0, 0, 0, 13_800, 6600), db.ClusterRows("hour", H)[0]);
        Assert.Equal([(5u, 1u, 28_800ul), (7u, 1u, 600ul)], db.IdRows("assoc_usage_hour", H));
    }

    [Fact]
    public async Task More_allocated_than_the_cluster_has_is_capped_for_the_cluster_but_not_for_the_associations()
    {
        var db = Registered();
        db.Job(assoc: 5, eligible: H, start: H, end: H + 3600, tres: "1=8");
        db.Job(assoc: 6, eligible: H, start: H, end: H + 3600, tres: "1=8");
        await RollAsync(db, H, H + 3600);

        Assert.Equal(new ClusterRow(1, 10, 36_000, 0, 0, 0, 0, 0), db.ClusterRows("hour", H)[0]);
        Assert.Equal([(5u, 1u, 28_800ul), (6u, 1u, 28_800ul)], db.IdRows("assoc_usage_hour", H));
    }

    [Fact]
    public async Task A_controller_that_was_unreachable_counts_as_down_except_for_the_jobs_that_ran_meanwhile()
    {
        var db = new RollupDatabase(services, H + 7200);
        db.Registration(H - 7200, 0, ClusterTres);
        // Registration rows with a state are periods the controller was down: 1200 s here.
        db.Registration(H + 600, H + 1800, "1=10,2=1000", state: 1);
        db.Job(assoc: 5, eligible: H, start: H, end: H + 1200, tres: "1=2");   // 600 s of it inside the outage
        await RollAsync(db, H, H + 3600);

        // Down: 10 × 1200 - 2 × 600 = 10,800 CPU-s; 1000 × 1200 MB-s. Allocated 2 × 1200.
        Assert.Equal([new ClusterRow(1, 10, 2400, 10_800, 0, 22_800, 0, 0), new ClusterRow(2, 1000, 0, 1_200_000, 0, 2_400_000, 0, 0)],
            db.ClusterRows("hour", H));
    }

    [Fact]
    public async Task Rolling_an_hour_again_replaces_its_rows()
    {
        var db = Registered();
        db.Job(assoc: 5, eligible: H, start: H, end: H + 3600, tres: "1=1");
        await RollAsync(db, H, H + 3600);
        await RollAsync(db, H, H + 3600);
        Assert.Equal([(5u, 1u, 3600ul)], db.IdRows("assoc_usage_hour", H));
        Assert.Equal(2, db.ClusterRows("hour", H).Count);

        // A job that turns out to belong to another association moves its time there.
        using (var connection = db.Open())
            Dapper.SqlMapper.Execute(connection, "UPDATE job SET id_assoc = 6");
        await RollAsync(db, H, H + 3600);
        Assert.Equal([(6u, 1u, 3600ul)], db.IdRows("assoc_usage_hour", H));
    }

    [Fact]
    public async Task Wckey_usage_is_written_only_when_wckeys_are_tracked()
    {
        foreach (bool track in new[] { false, true })
        {
            var db = new RollupDatabase(services, H + 7200, trackWckey: track);
            db.Registration(H - 7200, 0, ClusterTres);
            db.Job(assoc: 5, eligible: H, start: H, end: H + 1800, tres: "1=2", wckey: 3);
            db.Job(assoc: 6, eligible: H, start: H, end: H + 1800, tres: "1=1", wckey: 3);
            await RollAsync(db, H, H + 3600);
            Assert.Equal(track ? [(3u, 1u, 5400ul)] : [], db.IdRows("wckey_usage_hour", H));
        }
    }
    [Fact]
    public async Task Jobs_summed_by_the_database_give_the_rows_the_same_jobs_give_one_by_one()
    {
        foreach (bool track in new[] { false, true })
        {
            var db = new RollupDatabase(services, H + 7200, trackWckey: track);
            db.Registration(H - 7200, 0, ClusterTres);
            db.Reservation(9, H, H + 3600, "1=2", "n3", "8");
            var jobs = new List<JobSpan>();
            ulong Job(uint assoc, long eligible, long start, long end, string tres, uint cpusReq = 1, uint wckey = 0,
                uint arrayPending = 0, uint resv = 0, long suspended = 0)
            {
                ulong index = db.Job(assoc, eligible, start, end, tres, cpusReq, resv, arrayPending, wckey, suspended);
                jobs.Add(new JobSpan(index, assoc, wckey, arrayPending, eligible, start, end, suspended, cpusReq, resv, tres));
                return index;
            }
            // Summed: two jobs of one string (one waited 900 s, one runs past the hour), another string with
            // energy, and one string with a trailing space the database groups with the one without.
            Job(5, H - 600, H + 300, H + 900, "1=2,2=100", cpusReq: 2, wckey: 1);
            Job(5, H + 100, H + 200, H + 4000, "1=2,2=100", cpusReq: 2, wckey: 2);
            Job(5, H - 100, H - 50, 0, "1=1,3=700");
            Job(6, H + 1000, H + 1500, H + 2000, "1=4 ", cpusReq: 4, wckey: 1);
            Job(6, H + 1100, H + 1500, H + 2100, "1=4", cpusReq: 4);
            // One by one: pending, a pending array, suspended, in a reservation, started after the hour, ended at its start.
            Job(6, H + 10, 0, 0, "", cpusReq: 3);
            Job(7, H + 20, 0, 0, "", arrayPending: 4);
            ulong suspended = Job(7, H, H + 600, H + 5000, "1=1", suspended: 600);
            db.Suspend(suspended, 7, H + 1200, H + 1800);
            Job(8, H + 300, H + 600, H + 1200, "1=1", resv: 9);
            Job(8, H, H + 4000, H + 5000, "1=1");
            Job(9, H - 3600, H - 3000, H, "1=1");
            await RollAsync(db, H, H + 3600);

            jobs.Sort((a, b) => a.AssocId != b.AssocId ? a.AssocId.CompareTo(b.AssocId) : a.Eligible.CompareTo(b.Eligible));
            var expected = HourlyUsage.Compute(new HourInputs(H, H + 3600, [new EventSpan("", H - 7200, 0, 0, ClusterTres)],
                [new ReservationSpan(9, "8", 0, "n3", "1=2", H, H + 3600, 0)], jobs,
                new Dictionary<ulong, List<SuspendSpan>> { [suspended] = [new SuspendSpan(H + 1200, H + 1800)] }, track));
            Assert.Equal(expected.Cluster.Select(row => new ClusterRow(row.TresId, row.Count, row.Alloc, row.Down, row.PlannedDown,
                row.Idle, row.Over, row.Reserved)).OrderBy(row => row.IdTres), db.ClusterRows("hour", H));
            Assert.Equal(expected.Associations.Select(row => (row.Id, row.TresId, row.Alloc)).Order(), db.IdRows("assoc_usage_hour", H));
            Assert.Equal(expected.Wckeys.Select(row => (row.Id, row.TresId, row.Alloc)).Order(), db.IdRows("wckey_usage_hour", H));
            Assert.NotEmpty(db.IdRows("assoc_usage_hour", H));
        }
    }

    [Fact]
    public void Jobs_are_not_summed_when_a_job_that_did_not_run_carries_energy_or_a_sum_could_reach_no_val()
    {
        var group = new JobGroup(5, 0, "1=2,3=700", Jobs: 10, Seconds: 36_000, ReservedCpuSeconds: 0);
        var pending = new JobSpan(1, 6, 0, 0, H, 0, 0, 0, 1, 0, "3=50");
        Assert.True(HourlyUsage.SumsExactly([group], [pending with { Tres = "1=1,3=0" }]));
        Assert.False(HourlyUsage.SumsExactly([group], [pending]));
        // 10^15 MB for 36,000 s, and 10^18 J for 20 jobs, pass 2^64.
        Assert.False(HourlyUsage.SumsExactly([group with { Tres = "2=1000000000000000" }], []));
        Assert.True(HourlyUsage.SumsExactly([group with { Tres = "3=1000000000000000000" }], []));
        Assert.False(HourlyUsage.SumsExactly([group with { Tres = "3=1000000000000000000", Jobs = 20 }], []));
    }
}
