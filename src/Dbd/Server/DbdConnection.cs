using System.Net;
using System.Net.Sockets;
using Accounting.Model.Messages;
using Accounting.Model.Wire;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Server;

/// <summary>
/// Drives one accepted socket: frame in, session, frame out, strictly one request at a time as slurmdbd
/// clients expect (wire spec §2). Every failure ends here: this connection closes, nobody else notices.
/// </summary>
public sealed class DbdConnection(Socket socket, SessionServices services, TimeSpan initTimeout, ILogger<DbdConnection> logger)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        var peer = (IPEndPoint)socket.RemoteEndPoint!;
        // Each reply goes out in one write; without NODELAY the next one would wait for a delayed ACK.
        socket.NoDelay = true;
        // Disposed in reverse order: the socket closes before the session rolls back its storage, so a
        // client that is told "denied" sees the connection end at once and reconnects (as with slurmdbd)
        // instead of writing into a socket that is about to be reset.
        await using var session = new DbdSession(peer, services);
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var reader = new FrameReader(stream, () => AcknowledgeNow(socket));
        var writer = new SlurmWriter(1024);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                Frame frame;
                using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping))
                {
                    // A client that connects and never says who it is does not keep a slot for ever;
                    // after the handshake a persistent connection may stay idle as long as it likes.
                    if (session.State is null)
                        deadline.CancelAfter(initTimeout);
                    try
                    {
                        frame = await reader.ReadAsync(deadline.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                    {
                        logger.LogInformation("{Peer}: no REQUEST_PERSIST_INIT within {Seconds} s, closing", peer, initTimeout.TotalSeconds);
                        return;
                    }
                }

                switch (frame.Status)
                {
                    case FrameStatus.EndOfStream:
                        return;
                    case FrameStatus.BadLength:
                        logger.LogError("{Peer}: frame length {Length} is outside 2..{Max}, closing", peer, frame.AnnouncedLength, SlurmValues.MaxMessageSize);
                        return;
                    case FrameStatus.Truncated:
                        await SendAsync(session.TruncatedFrame(frame.AnnouncedLength, frame.ReceivedLength), session, writer, stream, stopping).ConfigureAwait(false);
                        return;
                }

                var reply = await session.HandleAsync(frame.Payload).ConfigureAwait(false);
                if (session.ShouldClose)
                {
                    await SendLastAsync(socket, reply, session, writer, stream, stopping).ConfigureAwait(false);
                    return;
                }
                await SendAsync(reply, session, writer, stream, stopping).ConfigureAwait(false);
            }
        }
        catch (IOException exception)
        {
            // DBD_FINI(close) is never read by the client, and slurmctld just closes: a failed write or
            // a reset connection is the normal end of many sessions.
            logger.LogDebug("{Peer}: connection ended: {Reason}", peer, exception.Message);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private const int IpProtocolTcp = 6;
    private const int TcpCork = 3;
    private const int TcpQuickAck = 12;
    private static readonly byte[] Enabled = BitConverter.GetBytes(1);

    /// <summary>
    /// The reply after which the connection ends (ACCESS_DENIED, a version error) leaves in the same segment
    /// as the FIN: corked, written, then shut down. A client that checks the connection after reading the
    /// reply (sacctmgr's rollback: slurm_persist_conn_writeable) then always finds it closed and stays quiet,
    /// instead of sometimes writing DBD_FINI into a socket that is about to be reset and printing "Broken pipe".
    /// </summary>
    private static async Task SendLastAsync(Socket socket, IDbdMessage reply, DbdSession session, SlurmWriter writer, Stream stream,
        CancellationToken stopping)
    {
        try
        {
            socket.SetRawSocketOption(IpProtocolTcp, TcpCork, Enabled);
            await SendAsync(reply, session, writer, stream, stopping).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException exception)
        {
            throw new IOException(exception.Message, exception);
        }
    }

    /// <summary>
    /// Slurm clients write the 4-byte length and the payload separately without TCP_NODELAY, so the payload
    /// waits for our ACK of the length; a delayed ACK costs 40 ms a message (the stalls measured on the
    /// real slurmdbd). TCP_QUICKACK acknowledges at once; Linux clears it again, so it is set after every read.
    /// </summary>
    private static void AcknowledgeNow(Socket socket)
    {
        try
        {
            socket.SetRawSocketOption(IpProtocolTcp, TcpQuickAck, Enabled);
        }
        catch (SocketException)
        {
            // A socket that is already closing; the read that follows will say so.
        }
    }

    private static async Task SendAsync(IDbdMessage reply, DbdSession session, SlurmWriter writer, Stream stream, CancellationToken stopping)
    {
        if (reply is IStreamedReply streamed)
        {
            await streamed.WriteFrameAsync(stream, writer, stopping).ConfigureAwait(false);
            return;
        }
        writer.Reset();
        DbdMessageFraming.PackFrame(reply, writer, session.ProtocolVersion);
        await stream.WriteAsync(writer.WrittenMemory, stopping).ConfigureAwait(false);
    }
}
