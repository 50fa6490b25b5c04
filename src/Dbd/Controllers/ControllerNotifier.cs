using System.Buffers.Binary;
using System.Net.Sockets;
using System.Threading.Channels;
using Accounting.Dbd.Authentication;
using Accounting.Dbd.Storage;
using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Controllers;

/// <summary>
/// Pushes committed changes to every registered controller as slurmdbd does after a commit
/// (slurmdb_send_accounting_update): one ACCOUNTING_UPDATE_MSG per controller, a full slurm_msg with our
/// credential, answered by RESPONSE_SLURM_RC. A controller that does not answer is retried a few times;
/// it also reloads everything when it next registers, so nothing waits on it for ever.
/// </summary>
public sealed class ControllerNotifier(
    DatabaseLocator locator,
    StorageWorkers workers,
    ICredentialFactory credentials,
    ControllerNotifierOptions options,
    ILogger<ControllerNotifier> logger) : BackgroundService, IControllerNotifier
{
    private const uint ClusterFlagExternal = 0x1000;

    private readonly Channel<IReadOnlyList<UpdateObject>> _pending = Channel.CreateUnbounded<IReadOnlyList<UpdateObject>>();

    private sealed record RegisteredController(string Name, string ControlHost, uint ControlPort, ushort RpcVersion);

    public void Notify(IReadOnlyList<UpdateObject> updates) => _pending.Writer.TryWrite(updates);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        await foreach (var updates in _pending.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
        {
            List<RegisteredController> controllers;
            try
            {
                controllers = await workers.RunAsync(() =>
                {
                    using var connection = locator.OpenReadConnection();
                    return connection.Query<RegisteredController>(
                        "SELECT name, control_host, control_port, rpc_version FROM cluster WHERE deleted = 0 AND control_port <> 0 AND (flags & @External) = 0",
                        new { External = ClusterFlagExternal }).ToList();
                }, locator.Options.CallDeadline, stopping).ConfigureAwait(false);
            }
            catch (StorageUnavailableException exception)
            {
                logger.LogError("update push skipped, registered controllers unknown: {Reason}", exception.Message);
                continue;
            }
            var message = BuildMessage(updates);
            await Task.WhenAll(controllers.Select(controller => PushWithRetriesAsync(controller, message, stopping))).ConfigureAwait(false);
        }
    }

    private byte[] BuildMessage(IReadOnlyList<UpdateObject> updates)
    {
        var body = new AccountingUpdateMessage([.. updates]);
        var unsigned = SlurmRpcMessage.Create(body, new NoneCredential(0, 0, null));
        var signed = unsigned with { Credential = credentials.Create(unsigned.BodyBytes, (ushort)body.Type) };
        var writer = new SlurmWriter();
        int lengthAt = writer.ReserveU32();
        signed.Pack(writer);
        writer.PatchU32(lengthAt, (uint)(writer.Length - 4));
        return writer.WrittenSpan.ToArray();
    }

    private async Task PushWithRetriesAsync(RegisteredController controller, byte[] message, CancellationToken stopping)
    {
        if (controller.RpcVersion != 0 && controller.RpcVersion < ProtocolVersion.Current)
        {
            logger.LogError("update cluster {Cluster}: its controller speaks protocol {Version}, pushes need 22.05", controller.Name, controller.RpcVersion);
            return;
        }
        for (int attempt = 1; attempt <= options.Attempts; attempt++)
        {
            try
            {
                int rc = await PushAsync(controller, message, stopping).ConfigureAwait(false);
                if (rc == SlurmError.Success)
                    return;
                logger.LogError("update cluster {Cluster}: {Host}({Port}) answered rc {Rc}", controller.Name, controller.ControlHost, controller.ControlPort, rc);
                return;
            }
            catch (Exception exception) when (exception is SocketException or IOException or TimeoutException or WireFormatException or OperationCanceledException && !stopping.IsCancellationRequested)
            {
                logger.LogError("update cluster {Cluster}: {Reason} to {Host}({Port}), attempt {Attempt} of {Attempts}",
                    controller.Name, exception.Message, controller.ControlHost, controller.ControlPort, attempt, options.Attempts);
                await Task.Delay(options.RetryDelay, stopping).ConfigureAwait(false);
            }
        }
    }

    private async Task<int> PushAsync(RegisteredController controller, byte[] message, CancellationToken stopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(options.Timeout);
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(controller.ControlHost, (int)controller.ControlPort, deadline.Token).ConfigureAwait(false);
        var stream = tcp.GetStream();
        await stream.WriteAsync(message, deadline.Token).ConfigureAwait(false);
        var length = new byte[4];
        await stream.ReadExactlyAsync(length, deadline.Token).ConfigureAwait(false);
        uint size = BinaryPrimitives.ReadUInt32BigEndian(length);
        if (size > 1024 * 1024)
            throw new WireFormatException(0, $"reply of {size} bytes to an update push");
        var reply = new byte[size];
        await stream.ReadExactlyAsync(reply, deadline.Token).ConfigureAwait(false);
        var response = SlurmRpcMessage.Unpack(reply);
        return response.Body is ResponseSlurmRc rc ? rc.ReturnCode : SlurmError.Error;
    }
}

/// <summary>How hard to try a controller: slurmdbd retries a push up to 4 times.</summary>
public sealed record ControllerNotifierOptions(int Attempts, TimeSpan RetryDelay, TimeSpan Timeout);
