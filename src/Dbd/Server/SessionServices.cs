using Accounting.Dbd.Authentication;
using Accounting.Dbd.Handlers;
using Accounting.Dbd.Spool;
using Accounting.Dbd.Storage;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Server;

/// <summary>What every connection's session shares.</summary>
public sealed record SessionServices(
    ICredentialVerifier Verifier,
    HandlerTable Handlers,
    RpcStatistics Statistics,
    DatabaseLocator Locator,
    StorageWorkers Workers,
    GroupCommit GroupCommit,
    ControllerWriteGate ControllerWrites,
    ushort PersistInitFlags,
    ILogger<DbdSession> Logger,
    TimeProvider Clock);
