using System.Diagnostics;
using System.Globalization;

namespace Accounting.Dbd.Spool;

/// <summary>
/// How far the spool's replay has got, for the periodic log line and for `sacctmgr show config`. That is
/// where an administrator can see it: DBD_GOT_CONFIG is a list of key/value pairs that sacctmgr prints as
/// it comes, whereas DBD_GOT_STATS has fields only for rollups, message types and users, so spool depth
/// there would have to pose as one of them.
/// </summary>
public sealed class SpoolReplayProgress(MessageSpool spool)
{
    private readonly Lock _lock = new();
    private long _drainStarted;
    private long _storedInDrain;
    private long _storedSinceStart;
    private bool _waitingForDatabase;
    private string? _lastDrain;

    /// <summary>A replay found no writable database; it tries again.</summary>
    public void WaitingForDatabase()
    {
        lock (_lock)
        {
            _waitingForDatabase = true;
            // The replay rate counts from the first batch that reaches a database.
            if (_storedInDrain == 0)
                _drainStarted = 0;
        }
    }

    /// <summary>A batch is about to be replayed.</summary>
    public void BatchStarting()
    {
        lock (_lock)
        {
            if (_drainStarted == 0)
                _drainStarted = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>
    /// <paramref name="count"/> records were stored; returns the summary of the drain when that emptied the
    /// spool, for the log.
    /// </summary>
    public string? Stored(int count)
    {
        lock (_lock)
        {
            _waitingForDatabase = false;
            _storedInDrain += count;
            _storedSinceStart += count;
            if (spool.Depth > 0)
                return null;
            double seconds = Stopwatch.GetElapsedTime(_drainStarted).TotalSeconds;
            _lastDrain = string.Create(CultureInfo.InvariantCulture,
                $"{_storedInDrain} records stored in {seconds:0.0} s ({_storedInDrain / Math.Max(seconds, 0.001):0} records/s), finished {DateTime.Now:yyyy-MM-ddTHH:mm:ss}");
            _drainStarted = 0;
            _storedInDrain = 0;
            return _lastDrain;
        }
    }

    /// <summary>The key/value pairs appended to the configuration dump.</summary>
    public IReadOnlyList<(string Name, string Value)> Describe()
    {
        lock (_lock)
        {
            string depth = string.Create(CultureInfo.InvariantCulture,
                $"{spool.Depth} records, {spool.Bytes} of {spool.Limit} bytes, in {spool.Location}");
            string replay;
            if (spool.Depth == 0)
                replay = _lastDrain is null ? "nothing to replay" : $"idle; last drain: {_lastDrain}";
            else if (_waitingForDatabase || _drainStarted == 0)
                replay = string.Create(CultureInfo.InvariantCulture,
                    $"waiting for a writable database; {_storedSinceStart} records stored since start");
            else
            {
                double seconds = Stopwatch.GetElapsedTime(_drainStarted).TotalSeconds;
                replay = string.Create(CultureInfo.InvariantCulture,
                    $"replaying: {_storedInDrain} records stored in {seconds:0.0} s ({_storedInDrain / Math.Max(seconds, 0.001):0} records/s), {spool.Depth} to go");
            }
            return [("SpoolDepth", depth), ("SpoolReplay", replay)];
        }
    }
}
