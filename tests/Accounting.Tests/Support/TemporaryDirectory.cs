namespace Accounting.Tests.Support;

/// <summary>A private directory under /tmp for one fixture, removed with it.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory(string purpose)
    {
        // Short: unix socket paths inside it must stay under 108 bytes.
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"acct-{purpose}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server that has not quite let go of its files; /tmp is cleaned eventually.
        }
    }
}
