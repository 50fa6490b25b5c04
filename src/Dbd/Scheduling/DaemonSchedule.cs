namespace Accounting.Dbd.Scheduling;

/// <summary>
/// Every periodic job of the daemon. The list is the same on every node, so a clustered scheduler holds one
/// job and one trigger per entry whichever node stored them. To add one: implement <see cref="IPeriodicJob"/>
/// (constructor-injected, registered as a singleton from here) and add a line.
/// </summary>
public static class DaemonSchedule
{
    public static IReadOnlyList<PeriodicJobDeclaration> Jobs { get; } =
    [
        // slurmdbd rolls up at start-up and then at every hour; ten seconds past, for RollupRewind.Grace.
        new("usage-rollup", typeof(UsageRollupJob), "10 0 * * * ?", RunAtStartup: true),
    ];
}
