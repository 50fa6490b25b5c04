namespace Accounting.Dbd.Storage;

/// <summary>Who makes a change and when: every write records both (txn table, mod_time).</summary>
public sealed record ChangeContext(string Actor, long Now)
{
    /// <summary>slurmdbd deletes rows younger than this outright on remove; older ones are only flagged.</summary>
    public const long DeleteSecondsBack = 86400;

    public long DayOld => Now - DeleteSecondsBack;
}
