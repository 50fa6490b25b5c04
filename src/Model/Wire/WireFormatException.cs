namespace Accounting.Model.Wire;

/// <summary>
/// A message body that does not decode: too short, a length or count that cannot be right, a value out
/// of range. Carries the byte offset inside the body so the log line can say where decoding stopped.
/// </summary>
public sealed class WireFormatException(int offset, string reason)
    : Exception($"{reason} at offset {offset}")
{
    public int Offset { get; } = offset;
    public string Reason { get; } = reason;
}
