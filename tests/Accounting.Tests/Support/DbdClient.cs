using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Accounting.Dbd.Authentication;
using Accounting.Model.Messages;
using Accounting.Model.Wire;

namespace Accounting.Tests.Support;

/// <summary>
/// A dbd client built on the production codec: persist init with an auth/none or auth/munge credential,
/// then requests and replies, or raw bytes for the tests that send what no real client would.
/// </summary>
public sealed class DbdClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private DbdClient(TcpClient tcp)
    {
        _tcp = tcp;
        _tcp.NoDelay = true;
        _stream = tcp.GetStream();
    }

    public static async Task<DbdClient> ConnectAsync(IPEndPoint endPoint)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(endPoint);
        return new DbdClient(tcp);
    }

    public static PersistInitMessage NoneInit(uint uid = 0, string cluster = "alpha", ushort version = ProtocolVersion.Current) =>
        PersistInitMessage.Create(new PersistInitRequest(version, cluster, PersistConnectionType.Dbd, 0), new NoneCredential(uid, uid, "localhost"));

    /// <summary>An init whose munge credential carries the K12 hash of its body, as a 22.05 client makes it.</summary>
    public static PersistInitMessage MungeInit(MungeClient munge, string cluster = "alpha", int? ttlSeconds = null)
    {
        var body = new PersistInitRequest(ProtocolVersion.Current, cluster, PersistConnectionType.Dbd, 0);
        var unsigned = PersistInitMessage.Create(body, new MungeCredential(""));
        var payload = MessageHashCheck.ComputeK12Payload(unsigned.BodyBytes, (ushort)DbdMessageType.PersistInit);
        return unsigned with { Credential = new MungeCredential(munge.Encode(payload, ttlSeconds)) };
    }

    public static byte[] Encode(PersistInitMessage init)
    {
        var writer = new SlurmWriter();
        init.Pack(writer);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] Encode(IDbdMessage message)
    {
        var writer = new SlurmWriter();
        DbdMessageFraming.Pack(message, writer, ProtocolVersion.Current);
        return writer.WrittenSpan.ToArray();
    }

    public async Task<PersistRc> InitAsync(PersistInitMessage init)
    {
        await SendFrameAsync(Encode(init));
        return (PersistRc)await ReadMessageAsync();
    }

    public async Task<IDbdMessage> RequestAsync(IDbdMessage request)
    {
        await SendFrameAsync(Encode(request));
        return await ReadMessageAsync();
    }

    public async Task SendFrameAsync(ReadOnlyMemory<byte> payload)
    {
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame.AsMemory(4));
        await SendRawAsync(frame);
    }

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes) => await _stream.WriteAsync(bytes);

    public void EndSending() => _tcp.Client.Shutdown(SocketShutdown.Send);

    /// <summary>The next frame's payload, or null when the daemon closed the connection.</summary>
    public async Task<byte[]?> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var length = new byte[4];
        try
        {
            if (!await ReadExactlyOrEndAsync(length, deadline.Token))
                return null;
            var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(length)];
            return await ReadExactlyOrEndAsync(payload, deadline.Token) ? payload : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellation)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = await _stream.ReadAsync(buffer.AsMemory(total), cancellation);
            if (read == 0)
                return false;
            total += read;
        }
        return true;
    }

    public async Task<IDbdMessage> ReadMessageAsync()
    {
        var payload = await ReadFrameAsync() ?? throw new IOException("the daemon closed the connection");
        return DbdMessageDecoder.Decode(payload, ProtocolVersion.Current);
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
