using System.Diagnostics;
using System.Net;
using Accounting.Dbd.Handlers;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Wire;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Server;

/// <summary>
/// One persistent connection's protocol state: the handshake first (auth, version, cluster), then one
/// reply per request, dispatched by type. It turns every failure into the PERSIST_RC slurmdbd would send
/// (wire spec §5.6) and decides when the connection must close.
/// </summary>
public sealed class DbdSession(IPEndPoint peer, SessionServices services) : IAsyncDisposable
{
    private const uint UnauthenticatedUid = SlurmValues.NoVal;

    private readonly ILogger _logger = services.Logger;
    private readonly StorageSession _storage = new(services.Locator, services.Workers, services.GroupCommit);
    private ConnectionState? _state;

    /// <summary>Replies before the init are packed at the oldest version; PERSIST_RC is the same in all.</summary>
    public ushort ProtocolVersion => _state?.ProtocolVersion ?? Model.Wire.ProtocolVersion.Slurm2011;

    public bool ShouldClose { get; private set; }

    public ConnectionState? State => _state;

    public async Task<IDbdMessage> HandleAsync(ReadOnlyMemory<byte> payload)
    {
        var started = Stopwatch.GetTimestamp();
        ushort type = (ushort)((payload.Span[0] << 8) | payload.Span[1]);
        var reply = _state is null ? HandleInit(payload.Span) : await HandleRequestAsync(type, payload).ConfigureAwait(false);
        services.Statistics.Record(type, _state?.Uid ?? UnauthenticatedUid, Stopwatch.GetElapsedTime(started));
        return reply;
    }

    /// <summary>A frame whose announced length never arrived (slurmdbd answers "Bad offset" and closes).</summary>
    public IDbdMessage TruncatedFrame(uint announced, int received)
    {
        _logger.LogError("{Peer}: connection closed after {Received} of {Announced} announced bytes", peer, received, announced);
        ShouldClose = true;
        return new PersistRc("Bad offset", 0, SlurmError.Error, 0);
    }

    private IDbdMessage HandleInit(ReadOnlySpan<byte> payload)
    {
        // Whatever goes wrong in the handshake, the client closes on a non-zero rc; we close too rather
        // than serve an unauthenticated connection.
        ShouldClose = true;
        PersistInitMessage init;
        try
        {
            init = PersistInitMessage.Unpack(payload);
        }
        catch (WireFormatException exception) when (payload.Length >= 2 && (payload[0] << 8 | payload[1]) != (ushort)DbdMessageType.PersistInit)
        {
            _logger.LogError("{Peer}: first message is not REQUEST_PERSIST_INIT: {Reason}", peer, exception.Message);
            return PersistRc.Failure(DbdMessageType.PersistInit, SlurmError.Einval, "Initial RPC not REQUEST_PERSIST_INIT");
        }
        catch (WireFormatException exception)
        {
            _logger.LogError("{Peer}: SLURM_PERSIST_INIT does not unpack: {Reason}", peer, exception.Message);
            return FailedInit();
        }

        var authentication = services.Verifier.Verify(init);
        if (!authentication.Succeeded)
        {
            _logger.LogError("{Peer}: authentication failed: {Reason}", peer, authentication.Failure);
            return FailedInit();
        }
        if (init.Body.Version != Model.Wire.ProtocolVersion.Current)
        {
            _logger.LogError("{Peer}: protocol version {Version} from uid {Uid}: only 22.05 ({Current}) is served",
                peer, init.Body.Version, authentication.Uid, Model.Wire.ProtocolVersion.Current);
            return PersistRc.Failure(DbdMessageType.PersistInit, SlurmError.ProtocolVersionError,
                $"slurmdbd-net speaks protocol version {Model.Wire.ProtocolVersion.Current} (Slurm 22.05) only");
        }

        _state = new ConnectionState(peer, authentication.Uid, authentication.Gid, init.Body.ClusterName, init.Body.Version);
        ShouldClose = false;
        _logger.LogDebug("{Connection}: persistent connection opened", _state);
        return new PersistRc(null, services.PersistInitFlags, SlurmError.Success, init.Body.Version);
    }

    private static PersistRc FailedInit() =>
        PersistRc.Failure(DbdMessageType.PersistInit, SlurmError.Error, "Failed to unpack SLURM_PERSIST_INIT message");

    private async Task<IDbdMessage> HandleRequestAsync(ushort type, ReadOnlyMemory<byte> payload)
    {
        var state = _state!;
        var messageType = (DbdMessageType)type;
        if (messageType == DbdMessageType.PersistInit)
            return PersistRc.Failure(messageType, SlurmError.Einval, "REQUEST_PERSIST_INIT sent after connection established");

        IDbdMessage request;
        try
        {
            request = DbdMessageDecoder.Decode(payload.Span, state.ProtocolVersion);
        }
        catch (WireFormatException exception)
        {
            _logger.LogError("{Connection}: {Type} does not unpack: {Reason}", state, DbdMessageTypeInfo.SlurmName(type), exception.Message);
            return PersistRc.Failure(messageType, SlurmError.Error, $"Failed to unpack {DbdMessageTypeInfo.SlurmName(type)} message");
        }

        var handler = services.Handlers.Find(messageType);
        if (handler is null)
        {
            // proc_req's default branch: the type unpacked but no handler takes it (e.g. a reply type).
            _logger.LogError("{Connection}: invalid RPC {Type}", state, DbdMessageTypeInfo.SlurmName(type));
            return new PersistRc("Invalid RPC", 0, SlurmError.Einval, 0);
        }

        var context = new RequestContext(state, _storage);
        try
        {
            var reply = await services.ControllerWrites.HandleAsync(context, request, payload, handler).ConfigureAwait(false);
            ShouldClose |= context.CloseAfterReply || ClosesConnection(reply);
            return reply;
        }
        catch (StorageUnavailableException exception)
        {
            _logger.LogError("{Connection}: {Type}: database unavailable: {Reason}", state, DbdMessageTypeInfo.SlurmName(type), exception.Message);
            return PersistRc.Failure(messageType, SlurmError.DbConnection, SlurmError.Describe(SlurmError.DbConnection));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A fault of ours: the client gets an error, the connection and the daemon carry on.
            _logger.LogError(exception, "{Connection}: {Type} failed", state, DbdMessageTypeInfo.SlurmName(type));
            return PersistRc.Failure(messageType, SlurmError.Error, $"{DbdMessageTypeInfo.SlurmName(type)} failed: {exception.Message}");
        }
    }

    /// <summary>slurmdbd closes the connection after it answers ACCESS_DENIED or a version error (wire spec §5.5).</summary>
    private static bool ClosesConnection(IDbdMessage reply) =>
        reply is PersistRc { ReturnCode: SlurmError.AccessDenied or SlurmError.ProtocolVersionError };

    public async ValueTask DisposeAsync()
    {
        foreach (var action in _state?.CloseActions ?? [])
        {
            try
            {
                await action(_storage).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Also at shutdown, when storage may already be gone: the connection ends regardless.
                _logger.LogError("{Connection}: closing: {Reason}", _state, exception.Message);
            }
        }
        await _storage.DisposeAsync().ConfigureAwait(false);
    }
}
