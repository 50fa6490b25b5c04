using Accounting.Model.Wire;

namespace Accounting.Model.Records;

/// <summary>config_key_pair_t (pack_config_key_pair): one line of DBD_GOT_CONFIG.</summary>
public sealed record ConfigKeyPair(string? Name, string? Value) : IListRecord<ConfigKeyPair>
{
    public static int MinimumPackedSize => 8;

    public static ConfigKeyPair Unpack(ref SlurmReader reader) => new(reader.ReadString(), reader.ReadString());

    public void Pack(SlurmWriter writer)
    {
        writer.WriteString(Name);
        writer.WriteString(Value);
    }
}
