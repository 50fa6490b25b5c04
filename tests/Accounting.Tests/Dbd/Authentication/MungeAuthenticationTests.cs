using Accounting.Dbd.Authentication;
using Accounting.Model.Messages;
using Accounting.Model.Wire;
using Accounting.Tests.Support;

namespace Accounting.Tests.Dbd.Authentication;

/// <summary>auth/munge against a real private munged: who may connect, and which credentials are refused.</summary>
[Collection(ServicesCollection.Name)]
public sealed class MungeAuthenticationTests(SharedServices services)
{
    private MungeClient Munge => new(services.Munge.Socket);

    private static void AssertRefused(PersistRc reply) =>
        Assert.Equal((SlurmError.Error, "Failed to unpack SLURM_PERSIST_INIT message", (ushort)6500),
            (reply.ReturnCode, reply.Comment, reply.RetInfo));

    [Fact]
    public async Task A_fresh_credential_whose_hash_matches_the_body_opens_the_connection_at_22_05()
    {
        await using var daemon = await RunningDaemon.StartAsync(services);
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);

        var reply = await client.InitAsync(DbdClient.MungeInit(Munge));

        Assert.Equal((SlurmError.Success, ProtocolVersion.Current), (reply.ReturnCode, reply.RetInfo));
    }

    [Fact]
    public async Task A_replayed_credential_is_refused()
    {
        await using var daemon = await RunningDaemon.StartAsync(services);
        var init = DbdClient.MungeInit(Munge);
        await using (var first = await DbdClient.ConnectAsync(daemon.EndPoint))
            Assert.Equal(0, (await first.InitAsync(init)).ReturnCode);

        await using var second = await DbdClient.ConnectAsync(daemon.EndPoint);
        AssertRefused(await second.InitAsync(init));
        Assert.Contains("Replayed credential", daemon.Log(), StringComparison.OrdinalIgnoreCase);
        Assert.Null(await second.ReadFrameAsync());
    }

    [Fact]
    public async Task An_expired_credential_is_refused()
    {
        await using var daemon = await RunningDaemon.StartAsync(services);
        var init = DbdClient.MungeInit(Munge, ttlSeconds: 1);
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);

        AssertRefused(await client.InitAsync(init));
        Assert.Contains("Expired credential", daemon.Log(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_credential_munged_cannot_decode_is_refused()
    {
        await using var daemon = await RunningDaemon.StartAsync(services);
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        var init = DbdClient.MungeInit(Munge) with { Credential = new MungeCredential("MUNGE:AwQFAAAAAAAAAAAAAAAAAAAAAAAA:") };

        AssertRefused(await client.InitAsync(init));
        Assert.Contains("authentication failed: munge_decode", daemon.Log());
    }

    [Fact]
    public async Task A_credential_made_for_another_body_is_refused()
    {
        await using var daemon = await RunningDaemon.StartAsync(services);
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        var otherCluster = DbdClient.MungeInit(Munge, cluster: "beta");
        var init = DbdClient.MungeInit(Munge) with { Credential = otherCluster.Credential };

        AssertRefused(await client.InitAsync(init));
        Assert.Contains("K12 hash does not match the message body", daemon.Log());
    }

    [Fact]
    public async Task An_auth_none_credential_is_refused_when_munge_is_configured()
    {
        await using var daemon = await RunningDaemon.StartAsync(services);
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);

        AssertRefused(await client.InitAsync(DbdClient.NoneInit()));
        Assert.Contains("auth/munge configured but the client sent a None credential", daemon.Log());
    }

    [Fact]
    public void The_hash_check_accepts_the_older_type_only_payloads_as_slurm_does()
    {
        byte[] body = [1, 2, 3];
        Assert.Null(MessageHashCheck.Check([], body, 6500, ProtocolVersion.Current, blockNullHash: false, blockZeroHash: false));
        Assert.NotNull(MessageHashCheck.Check([], body, 6500, ProtocolVersion.Current, blockNullHash: true, blockZeroHash: false));
        Assert.Null(MessageHashCheck.Check([1, 0x19, 0x64], body, 6500, ProtocolVersion.Current, false, false));
        Assert.NotNull(MessageHashCheck.Check([1, 0x64, 0x19], body, 6500, ProtocolVersion.Current, false, false));
        Assert.Null(MessageHashCheck.Check([1, 0x64, 0x19], body, 6500, ProtocolVersion.Slurm2108, false, false));
        Assert.NotNull(MessageHashCheck.Check([1, 0x19, 0x64], body, 6500, ProtocolVersion.Current, false, blockZeroHash: true));
        Assert.Null(MessageHashCheck.Check(MessageHashCheck.ComputeK12Payload(body, 6500), body, 6500, ProtocolVersion.Current, false, false));
        Assert.NotNull(MessageHashCheck.Check([9, 0, 0], body, 6500, ProtocolVersion.Current, false, false));
    }
}
