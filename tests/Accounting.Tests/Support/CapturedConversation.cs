namespace Accounting.Tests.Support;

/// <summary>One message of a captured connection: its direction and its payload (without the frame length).</summary>
public sealed record CapturedMessage(string Operation, string Direction, int Sequence, byte[] Payload)
{
    public ushort FirstU16 => (ushort)((Payload[0] << 8) | Payload[1]);

    public override string ToString() => $"{Operation} {Direction}#{Sequence} type {FirstU16}";
}

/// <summary>Reads a connection captured from the real slurmdbd (Fixtures/Vectors, see its README).</summary>
public static class CapturedConversation
{
    public static string VectorsDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Vectors");

    public static IReadOnlyList<CapturedMessage> Load(string operation, int connection = 1)
    {
        string directory = Path.Combine(VectorsDirectory, operation);
        var streams = new Dictionary<string, byte[]>
        {
            ["c2s"] = File.ReadAllBytes(Path.Combine(directory, $"conn{connection}.c2s.bin")),
            ["s2c"] = File.ReadAllBytes(Path.Combine(directory, $"conn{connection}.s2c.bin")),
        };
        var messages = new List<CapturedMessage>();
        foreach (string line in File.ReadLines(Path.Combine(directory, $"conn{connection}.idx.tsv")).Skip(1))
        {
            var fields = line.Split('\t');
            string direction = fields[2];
            int sequence = int.Parse(fields[3]);
            int offset = int.Parse(fields[4]);
            int length = int.Parse(fields[5]);
            messages.Add(new CapturedMessage(operation, direction, sequence,
                streams[direction].AsSpan(offset + 4, length).ToArray()));
        }
        return messages;
    }

    /// <summary>
    /// Every captured dbd connection folder, including the auth/none ones: those whose first message is a
    /// REQUEST_PERSIST_INIT. dbd_to_ctld holds one-shot slurm RPCs instead and is read with <see cref="Load"/>.
    /// </summary>
    public static IEnumerable<string> AllOperations() =>
        Directory.EnumerateFiles(VectorsDirectory, "conn1.idx.tsv", SearchOption.AllDirectories)
            .Where(path => File.ReadLines(path).Skip(1).First().Split('\t')[6] == "6500")
            .Select(path => Path.GetRelativePath(VectorsDirectory, Path.GetDirectoryName(path)!))
            .Order(StringComparer.Ordinal);
}
