using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>DBD_GET_CONFIG: which configuration to show; NULL or "slurmdbd.conf" is the daemon's own (wire spec §8.5).</summary>
public sealed record GetConfigMessage(string? ConfigName) : IDbdMessage
{
    public DbdMessageType Type => DbdMessageType.GetConfig;

    public void PackBody(SlurmWriter writer, ushort protocolVersion) => writer.WriteString(ConfigName);

    public static GetConfigMessage Unpack(ref SlurmReader reader) => new(reader.ReadString());
}
