using System.Buffers.Binary;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.Support;

namespace Accounting.Tests.Dbd.Server;

/// <summary>
/// Mutations of every captured client message (and of the inits) sent to a running daemon: each one is
/// answered or its connection closed, nothing hangs, and afterwards the daemon still answers properly.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class FuzzTests(SharedServices services)
{
    private const int Cases = 100_000;
    private const int Connections = 4;
    private const uint UnprivilegedUid = 4321;

    private static readonly uint[] InterestingWords = [0, 1, 2, 0x7F, 0xFF, 0xFFFF, 0x7FFFFFFF, SlurmValues.NoVal, SlurmValues.Infinite, 0x40000000];

    [Fact]
    public async Task A_hundred_thousand_mutated_messages_leave_the_daemon_serving()
    {
        await using var daemon = await RunningDaemon.StartAsync(services, "auth/none");
        var seeds = CapturedConversation.AllOperations()
            .SelectMany(operation => CapturedConversation.Load(operation))
            .Where(message => message.Direction == "c2s" && message.FirstU16 != (ushort)DbdMessageType.PersistInit)
            .Select(message => message.Payload)
            .ToArray();
        byte[] init = DbdClient.Encode(DbdClient.NoneInit(UnprivilegedUid));

        var workers = Enumerable.Range(0, Connections)
            .Select(worker => Task.Run(() => FuzzAsync(daemon, seeds, init, new Random(1000 + worker), Cases / Connections)));
        int[] answered = await Task.WhenAll(workers);

        Assert.Equal(Cases, answered.Sum());
        await using var client = await DbdClient.ConnectAsync(daemon.EndPoint);
        Assert.Equal(0, (await client.InitAsync(DbdClient.NoneInit())).ReturnCode);
        var tres = Assert.IsType<ListMessage<TresRecord>>(await client.RequestAsync(
            new ConditionMessage<TresCondition>(DbdMessageType.GetTres, new TresCondition(0, null, null, null, null, 0))));
        Assert.Equal(8, tres.Items!.Count);
    }

    /// <summary>Returns how many cases ended with a reply or a close (a hang fails the test by timeout).</summary>
    private static async Task<int> FuzzAsync(RunningDaemon daemon, byte[][] seeds, byte[] init, Random random, int cases)
    {
        int done = 0;
        DbdClient? client = null;
        try
        {
            while (done < cases)
            {
                bool fuzzInit = random.Next(20) == 0;
                if (client is null || fuzzInit)
                {
                    if (client is not null)
                        await client.DisposeAsync();
                    client = await DbdClient.ConnectAsync(daemon.EndPoint);
                    if (!fuzzInit)
                    {
                        await client.SendFrameAsync(init);
                        if (await client.ReadFrameAsync(TimeSpan.FromSeconds(10)) is null)
                            throw new InvalidOperationException("a valid init was not answered");
                    }
                }

                byte[] message = Mutate(fuzzInit ? init : seeds[random.Next(seeds.Length)], random);
                try
                {
                    await client.SendFrameAsync(message);
                }
                catch (IOException)
                {
                    // The previous case closed the connection (a DBD_FINI close, an access denial).
                    await client.DisposeAsync();
                    client = null;
                    continue;
                }
                var reply = await client.ReadFrameAsync(TimeSpan.FromSeconds(10));
                done++;
                if (reply is null || fuzzInit)
                {
                    await client.DisposeAsync();
                    client = null;
                }
            }
            return done;
        }
        finally
        {
            if (client is not null)
                await client.DisposeAsync();
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        int mutations = 1 + random.Next(4);
        for (int i = 0; i < mutations && bytes.Count > 2; i++)
        {
            // The type field is mutated rarely: most cases should reach a decoder that knows the body.
            int position = random.Next(20) == 0 ? random.Next(2) : 2 + random.Next(bytes.Count - 2);
            switch (random.Next(6))
            {
                case 0:
                    bytes[position] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[position] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(position, bytes.Count - position);
                    break;
                case 3:
                    bytes.InsertRange(position, Enumerable.Range(0, 1 + random.Next(16)).Select(_ => (byte)random.Next(256)));
                    break;
                case 4 when position + 4 <= bytes.Count:
                    var word = new byte[4];
                    BinaryPrimitives.WriteUInt32BigEndian(word, InterestingWords[random.Next(InterestingWords.Length)]);
                    for (int b = 0; b < 4; b++)
                        bytes[position + b] = word[b];
                    break;
                default:
                    bytes.RemoveAt(position);
                    break;
            }
        }
        while (bytes.Count < 2)
            bytes.Add((byte)random.Next(256));
        return [.. bytes];
    }
}
