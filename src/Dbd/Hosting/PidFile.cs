using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Hosting;

/// <summary>PidFile= of slurmdbd.conf: written at start, removed at a clean exit.</summary>
public sealed class PidFile : IDisposable
{
    private readonly string? _path;

    private PidFile(string? path) => _path = path;

    public static PidFile Write(string path, ILogger logger)
    {
        try
        {
            File.WriteAllText(path, $"{Environment.ProcessId}\n");
            return new PidFile(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // slurmdbd only logs this too: a missing pid file does not stop accounting.
            logger.LogError("unable to write pid file {Path}: {Reason}", path, exception.Message);
            return new PidFile(null);
        }
    }

    public void Dispose()
    {
        if (_path is not null)
            File.Delete(_path);
    }
}
