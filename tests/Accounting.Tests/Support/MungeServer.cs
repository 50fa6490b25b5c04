using System.Diagnostics;

namespace Accounting.Tests.Support;

/// <summary>A private munged with a key of its own, in the foreground so we end exactly the process we started.</summary>
public sealed class MungeServer : IAsyncLifetime
{
    private readonly TemporaryDirectory _directory = new("munge");
    private Process? _daemon;

    public string Socket => _directory.File("munge.socket.2");

    public async Task InitializeAsync()
    {
        string key = _directory.File("munge.key");
        await File.WriteAllBytesAsync(key, System.Security.Cryptography.RandomNumberGenerator.GetBytes(1024));
        File.SetUnixFileMode(key, UnixFileMode.UserRead);
        File.SetUnixFileMode(_directory.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        _daemon = Process.Start(new ProcessStartInfo("munged")
        {
            ArgumentList =
            {
                "--foreground", "--force", "--num-threads=4", $"--socket={Socket}", $"--key-file={key}",
                $"--log-file={_directory.File("munged.log")}", $"--pid-file={_directory.File("munged.pid")}",
                $"--seed-file={_directory.File("munged.seed")}",
            },
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("cannot start munged");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(Socket))
        {
            if (_daemon.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"munged did not start: {await _daemon.StandardError.ReadToEndAsync()}");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (_daemon is { HasExited: false })
        {
            _daemon.Kill();
            await _daemon.WaitForExitAsync();
        }
        _daemon?.Dispose();
        _directory.Dispose();
    }
}
