namespace Accounting.Dbd.Storage;

/// <summary>
/// The ids of the default QOS (slurmdbd.conf DefaultQOS, else "normal"), found at start-up: every new
/// cluster's root association gets them as its QOS list (",1," on a fresh database).
/// </summary>
public sealed class DefaultQosList
{
    private string _column = "";

    public string Column => Volatile.Read(ref _column);

    public void Set(IReadOnlyList<uint> ids) => Volatile.Write(ref _column, ids.Count == 0 ? "" : "," + string.Join(",", ids) + ",");
}
