using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

/// <summary>Auth plugin ids (enum auth_plugin_type, slurm/slurm.h; wire spec §4.1).</summary>
public enum AuthPlugin : uint
{
    None = 100,
    Munge = 101,
    Jwt = 102,
}

/// <summary>The credential that follows the header of a full slurm_msg (auth_g_pack; wire spec §4).</summary>
public abstract record AuthCredential
{
    public abstract AuthPlugin Plugin { get; }

    protected abstract void PackPayload(SlurmWriter writer);

    public void Pack(SlurmWriter writer)
    {
        writer.WriteU32((uint)Plugin);
        PackPayload(writer);
    }

    public static AuthCredential Unpack(ref SlurmReader reader)
    {
        int at = reader.Position;
        uint plugin = reader.ReadU32();
        return (AuthPlugin)plugin switch
        {
            AuthPlugin.None => new NoneCredential(reader.ReadU32(), reader.ReadU32(), reader.ReadString()),
            AuthPlugin.Munge => new MungeCredential(reader.ReadString() ?? ""),
            AuthPlugin.Jwt => new JwtCredential(reader.ReadString(), reader.ReadString()),
            _ => throw new WireFormatException(at, $"unknown auth plugin id {plugin}"),
        };
    }
}

/// <summary>auth/none: the sender states its own uid and gid; nothing is verified.</summary>
public sealed record NoneCredential(uint Uid, uint Gid, string? Hostname) : AuthCredential
{
    public override AuthPlugin Plugin => AuthPlugin.None;

    protected override void PackPayload(SlurmWriter writer)
    {
        writer.WriteU32(Uid);
        writer.WriteU32(Gid);
        writer.WriteString(Hostname);
    }
}

/// <summary>auth/munge: the "MUNGE:...:" string that munge_encode returned.</summary>
public sealed record MungeCredential(string Credential) : AuthCredential
{
    public override AuthPlugin Plugin => AuthPlugin.Munge;

    protected override void PackPayload(SlurmWriter writer) => writer.WriteString(Credential);
}

/// <summary>auth/jwt: decoded so the init gets a proper refusal; slurmdbd 22.05 clients do not send it to us.</summary>
public sealed record JwtCredential(string? Token, string? Username) : AuthCredential
{
    public override AuthPlugin Plugin => AuthPlugin.Jwt;

    protected override void PackPayload(SlurmWriter writer)
    {
        writer.WriteString(Token);
        writer.WriteString(Username);
    }
}
