namespace Accounting.Dbd.Configuration;

/// <summary>Where a setting was read: the file and the (first physical) line of its logical line.</summary>
internal readonly record struct ConfigLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";

    /// <summary>A warning in the <c>file:line: text</c> form used for every configuration message.</summary>
    public string Describe(string text) => $"{this}: {text}";

    public ConfigException Error(string reason) => new(Describe(reason));
}
