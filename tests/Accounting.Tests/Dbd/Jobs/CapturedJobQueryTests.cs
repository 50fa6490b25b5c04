using System.Text.Json;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;

namespace Accounting.Tests.Dbd.Jobs;

/// <summary>
/// DBD_GET_JOBS_COND replayed from the captures: with the captured jobs stored, the request sacct sent
/// gets the reply the real slurmdbd sent, byte for byte (records spec §8).
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class CapturedJobQueryTests(SharedServices services)
{
    [Theory]
    [InlineData("sacct_all")]
    [InlineData("sacct_X")]
    [InlineData("sacct_X_range")]
    [InlineData("sacct_format")]
    [InlineData("sacct_federation")]
    public async Task The_captured_job_query_gets_the_captured_reply(string operation)
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        await CapturedJobs.PrepareAsync(daemon, services, munge: false);
        var conversation = CapturedConversation.Load(operation);
        var request = conversation.Single(m => m.Direction == "c2s" && m.FirstU16 == (ushort)DbdMessageType.GetJobsCond);
        var expected = conversation.Single(m => m.Direction == "s2c" && m.Sequence == request.Sequence);

        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);
        await client.SendFrameAsync(request.Payload);
        var actual = await client.ReadFrameAsync() ?? throw new IOException("no reply");

        Assert.Equal(Describe(expected.Payload), Describe(actual));
        Assert.Equal(expected.Payload, actual);
    }

    /// <summary>One line per job record, every field named, so that a difference points at its field.</summary>
    private static List<string> Describe(byte[] payload) =>
        ((ListMessage<JobRecord>)DbdMessageDecoder.Decode(payload, ProtocolVersion.Current)).Items!
            .Select(job => JsonSerializer.Serialize(job)).ToList();
}
