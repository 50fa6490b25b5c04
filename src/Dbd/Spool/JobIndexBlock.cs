using System.Buffers.Binary;

namespace Accounting.Dbd.Spool;

/// <summary>
/// The block of job db_index values this daemon may hand out while no database is writable, kept in the
/// spool directory (file "db-index-block": first, last, next, each with its complement) so that a daemon
/// restarted during an outage can still answer job starts. A value is used once it is in a spooled record
/// (fsync'd before the controller hears it); the file's "next" is brought forward when replay stores
/// those records, before the records go, so no value is handed out twice across restarts.
/// </summary>
public sealed class JobIndexBlock
{
    private const string FileName = "db-index-block";

    private readonly string _path;
    private readonly Lock _gate = new();
    private ulong _first;
    private ulong _last;
    private ulong _next;
    private ulong _persistedNext;

    private JobIndexBlock(string directory) => _path = Path.Combine(directory, FileName);

    /// <summary>The block of the spool in <paramref name="directory"/>; values up to <paramref name="highestSpooled"/> (in its records) are skipped.</summary>
    public static JobIndexBlock Load(string directory, ulong highestSpooled)
    {
        var block = new JobIndexBlock(directory);
        if (!File.Exists(block._path))
            return block;
        var bytes = File.ReadAllBytes(block._path);
        if (bytes.Length != 48)
            throw new IOException($"{block._path} is damaged; remove it and start the daemon with the database up");
        var values = new ulong[3];
        for (int i = 0; i < 3; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16 * i));
            if (BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16 * i + 8)) != ~values[i])
                throw new IOException($"{block._path} is damaged; remove it and start the daemon with the database up");
        }
        (block._first, block._last, block._next) = (values[0], values[1], values[2]);
        block._persistedNext = block._next;
        if (highestSpooled >= block._first && highestSpooled <= block._last && highestSpooled >= block._next)
            block._next = highestSpooled + 1;
        return block;
    }

    public bool Exists { get { lock (_gate) return _last != 0; } }

    public (ulong First, ulong Last) Range { get { lock (_gate) return (_first, _last); } }

    /// <summary>Some value of the block has been handed out: it is time for a fresh one once the spool is stored.</summary>
    public bool Drawn { get { lock (_gate) return _last != 0 && _next > _first; } }

    public ulong Remaining { get { lock (_gate) return _last == 0 ? 0 : _last - _next + 1; } }

    /// <summary>The next unused value, or null when the block is spent (or there is none).</summary>
    public ulong? TryDraw()
    {
        lock (_gate)
        {
            if (_last == 0 || _next > _last)
                return null;
            return _next++;
        }
    }

    /// <summary>A block newly reserved in the database replaces the old one.</summary>
    public void Replace(ulong first, ulong last)
    {
        lock (_gate)
        {
            (_first, _last, _next) = (first, last, first);
            Write();
        }
    }

    /// <summary>Records the values handed out so far, before the records naming them are dropped from the spool.</summary>
    public void PersistDrawn()
    {
        lock (_gate)
        {
            if (_next != _persistedNext)
                Write();
        }
    }

    /// <summary>Write-then-rename, each fsync'd, as the spool cursor.</summary>
    private void Write()
    {
        var bytes = new byte[48];
        ulong[] values = [_first, _last, _next];
        for (int i = 0; i < 3; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16 * i), values[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16 * i + 8), ~values[i]);
        }
        string temporary = _path + ".new";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, _path, overwrite: true);
        DirectorySync.Flush(Path.GetDirectoryName(_path)!);
        _persistedNext = _next;
    }
}
