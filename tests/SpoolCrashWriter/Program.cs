using Accounting.Dbd.Spool;
using Microsoft.Extensions.Logging.Abstractions;

// append DIR FIRST_INDEX: appends records for ever, printing "SEQUENCE INDEX" once each is durable.
// replay DIR: marks pending records replayed one small batch at a time, printing each new cursor.
string mode = args[0];
using var spool = MessageSpool.Open(args[1], 1L << 30, NullLogger.Instance);
if (mode == "append")
{
    for (long index = long.Parse(args[2]); ; index++)
    {
        long sequence = await spool.AppendAsync("alpha", 0, 9728, CrashRecords.Content(index), index);
        Console.WriteLine($"{sequence} {index}");
        Console.Out.Flush();
    }
}
while (spool.Pending(7) is { Count: > 0 } batch)
{
    spool.MarkReplayed(batch[^1].Sequence);
    Console.WriteLine(batch[^1].Sequence);
    Console.Out.Flush();
}

/// <summary>What record number N carries, so a reader can tell it is whole and in its place.</summary>
public static class CrashRecords
{
    public static byte[] Content(long index)
    {
        var bytes = new byte[16 + (int)(index % 200)];
        BitConverter.TryWriteBytes(bytes, index);
        for (int i = 8; i < bytes.Length; i++)
            bytes[i] = (byte)(index * 31 + i);
        return bytes;
    }
}
