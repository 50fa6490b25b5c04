using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Server;

/// <summary>Where to listen and how patient to be, from DbdAddr/DbdHost, DbdPort and MessageTimeout.</summary>
public sealed record ListenerOptions(IPAddress Address, int Port, TimeSpan InitTimeout, int MaxConnections);

/// <summary>
/// Accepts connections on DbdAddr:DbdPort and runs each on its own task. Like slurmdbd's thread limit,
/// accepts beyond <see cref="ListenerOptions.MaxConnections"/> wait for a slot instead of failing.
/// </summary>
public sealed class DbdListener(ListenerOptions options, SessionServices services, ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<DbdListener>();
    private readonly TaskCompletionSource<IPEndPoint> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The endpoint once listening (the port is chosen by the OS when DbdPort is 0).</summary>
    public Task<IPEndPoint> Bound => _bound.Task;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var listener = new Socket(options.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(new IPEndPoint(options.Address, options.Port));
            listener.Listen(512);
        }
        catch (SocketException exception)
        {
            _bound.TrySetException(exception);
            throw;
        }
        var endPoint = (IPEndPoint)listener.LocalEndPoint!;
        _logger.LogInformation("slurmdbd-net listening on {EndPoint}", endPoint);
        _bound.TrySetResult(endPoint);

        using var slots = new SemaphoreSlim(options.MaxConnections);
        var connectionLogger = loggers.CreateLogger<DbdConnection>();
        var running = new HashSet<Task>();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await slots.WaitAsync(stopping).ConfigureAwait(false);
                Socket client;
                try
                {
                    client = await listener.AcceptAsync(stopping).ConfigureAwait(false);
                }
                catch
                {
                    slots.Release();
                    throw;
                }
                var connection = new DbdConnection(client, services, options.InitTimeout, connectionLogger);
                var task = Task.Run(() => RunConnectionAsync(connection, slots, stopping), CancellationToken.None);
                lock (running)
                    running.Add(task);
                _ = task.ContinueWith(finished => { lock (running) running.Remove(finished); }, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        Task[] remaining;
        lock (running)
            remaining = [.. running];
        await Task.WhenAll(remaining).ConfigureAwait(false);
    }

    private async Task RunConnectionAsync(DbdConnection connection, SemaphoreSlim slots, CancellationToken stopping)
    {
        try
        {
            await connection.RunAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // A bug in one connection's handling must not take the listener down.
            _logger.LogError(exception, "connection failed");
        }
        finally
        {
            slots.Release();
        }
    }
}
