using Accounting.Model.Wire;

namespace Accounting.Bench;

/// <summary>Payloads of a captured connection (the test fixtures' vectors), picked by message type.</summary>
public static class CapturedMessages
{
    public static IEnumerable<byte[]> OfType(string operation, string direction, DbdMessageType type)
    {
        string directory = Path.Combine(AppContext.BaseDirectory, "Vectors", operation);
        byte[] stream = File.ReadAllBytes(Path.Combine(directory, $"conn1.{direction}.bin"));
        foreach (string line in File.ReadLines(Path.Combine(directory, "conn1.idx.tsv")).Skip(1))
        {
            var fields = line.Split('\t');
            if (fields[2] != direction || ushort.Parse(fields[6]) != (ushort)type)
                continue;
            yield return stream.AsSpan(int.Parse(fields[4]) + 4, int.Parse(fields[5])).ToArray();
        }
    }
}
