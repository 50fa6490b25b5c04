using System.Net;
using System.Net.Sockets;
using Accounting.Dbd.Archive;
using Accounting.Dbd.Authentication;
using Accounting.Dbd.Authorization;
using Accounting.Dbd.Configuration;
using Accounting.Dbd.Controllers;
using Accounting.Dbd.Handlers;
using Accounting.Dbd.Rollup;
using Accounting.Dbd.Scheduling;
using Accounting.Dbd.Server;
using Accounting.Dbd.Spool;
using Accounting.Dbd.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Accounting.Dbd.Hosting;

/// <summary>The one place where the daemon's parts are put together from slurmdbd.conf.</summary>
public static class DaemonComposition
{
    /// <summary>Storage calls in flight at once; more wait in the queue (their deadline still runs).</summary>
    private const int StorageThreads = 16;

    /// <summary>slurmdbd serves at most 100 connections at a time; we allow more, still bounded.</summary>
    private const int MaxConnections = 512;

    /// <summary>The daemon, ready to start; its database is prepared by <see cref="PrepareStorage"/> first.</summary>
    public static IHost Build(DbdConfig config, string configPath, SlurmStyleLoggerProvider logs) =>
        CreateBuilder(config, logs, new ConfigHolder(config, configPath, DateTimeOffset.UtcNow.ToUnixTimeSeconds())).Build();

    /// <summary>Migrations and first-start rows; throws MigrationException or StorageUnavailableException.</summary>
    public static void PrepareStorage(IHost host, DbdConfig config) =>
        host.Services.GetRequiredService<StoragePreparation>().Run();

    /// <summary>
    /// A daemon whose spool directory holds a db_index block has run with a database before: it may start
    /// while the database is away, to keep accepting controller records. Opens (and locks) the spool.
    /// </summary>
    public static bool CanStartWithoutDatabase(IHost host) => host.Services.GetRequiredService<JobIndexBlock>().Exists;

    /// <summary>Opens the spool before listening, so a spool directory that cannot be used stops start-up.</summary>
    public static void OpenSpool(IHost host) => host.Services.GetRequiredService<JobIndexBlock>();

    private static List<string> DefaultQosNames(DbdConfig config) =>
        config.DefaultQOS is { Length: > 0 } names
            ? names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList()
            : ["normal"];

    private static HostApplicationBuilder CreateBuilder(DbdConfig config, SlurmStyleLoggerProvider logs, ConfigHolder configHolder)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        var services = builder.Services;
        services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(configHolder);
        services.AddSingleton(logs);
        services.AddSingleton(StorageOptionsFrom(config));
        services.AddSingleton<DatabaseLocator>();
        services.AddHostedService<DatabaseMonitor>();
        services.AddSingleton(_ => new StorageWorkers(StorageThreads));
        services.AddSingleton(provider => new GroupCommit(provider.GetRequiredService<DatabaseLocator>(), config.CommitDelay));
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<StorageStartup>();
        services.AddSingleton(provider => new StoragePreparation(provider.GetRequiredService<StorageStartup>(), DefaultQosNames(config)));
        services.AddSingleton<TresRepository>();
        services.AddSingleton<QosRepository>();
        services.AddSingleton<UserRepository>();
        services.AddSingleton<AccountRepository>();
        services.AddSingleton<AssociationRepository>();
        services.AddSingleton<ClusterRepository>();
        services.AddSingleton<FederationRepository>();
        services.AddSingleton<TransactionLog>();
        services.AddSingleton<DefaultQosList>();
        services.AddSingleton<ChangeClock>();
        services.AddSingleton<AssociationChanges>();
        services.AddSingleton<CoordinatorRepository>();
        services.AddSingleton<AssociationModification>();
        services.AddSingleton<AssociationRemoval>();
        services.AddSingleton<WckeyRepository>();
        services.AddSingleton<EventRepository>();
        services.AddSingleton<JobRepository>();
        services.AddSingleton<JobWckeys>();
        services.AddSingleton<StepRepository>();
        services.AddSingleton<ReservationRepository>();
        services.AddSingleton<UsageRepository>();
        services.AddSingleton<ReservationQueryRepository>();
        services.AddSingleton<ResourceRepository>();
        services.AddSingleton<JobQueryRepository>();
        services.AddSingleton(provider => new RollupPeriods(provider.GetRequiredService<TimeProvider>().LocalTimeZone));
        services.AddSingleton<RollupRewind>();
        services.AddSingleton<UsageRollupRepository>();
        services.AddSingleton<RollupStatistics>();
        services.AddSingleton(new RollupOptions(config.TrackWCKey));
        services.AddSingleton<UsageRollup>();
        services.AddSingleton<ControllerRequests>();
        services.AddSingleton<RegisteredControllers>();
        services.AddSingleton<ControllerRegistration>();
        services.AddSingleton(new AccountingPolicy(config.AllowNoDefAcct));
        services.AddSingleton(new PurgeOptions());
        services.AddSingleton<ArchiveScriptRunner>();
        services.AddSingleton<ArchivePurge>();
        services.AddSingleton<ArchiveLoader>();
        services.AddSingleton<PurgeRunner>();

        services.AddSingleton(provider => new Privileges(SlurmUserUid(config), provider.GetRequiredService<UserRepository>()));
        services.AddSingleton<RpcStatistics>();
        services.AddSingleton<IDaemonControl, DaemonControl>();
        services.AddHostedService<HangupSignal>();
        services.AddSingleton<IHandlerFamily, SessionHandlers>();
        services.AddSingleton<IHandlerFamily, DaemonHandlers>();
        services.AddSingleton<IHandlerFamily, TresHandlers>();
        services.AddSingleton<IHandlerFamily, QosHandlers>();
        services.AddSingleton<IHandlerFamily, ClusterHandlers>();
        services.AddSingleton<IHandlerFamily, FederationHandlers>();
        services.AddSingleton<IHandlerFamily, AssociationHandlers>();
        services.AddSingleton<IHandlerFamily, AccountHandlers>();
        services.AddSingleton<IHandlerFamily, UserHandlers>();
        services.AddSingleton<IHandlerFamily, CoordinatorHandlers>();
        services.AddSingleton<IHandlerFamily, WckeyHandlers>();
        services.AddSingleton<IHandlerFamily, ControllerHandlers>();
        services.AddSingleton<IHandlerFamily, JobHandlers>();
        services.AddSingleton<IHandlerFamily, StepHandlers>();
        services.AddSingleton<IHandlerFamily, ReservationHandlers>();
        services.AddSingleton<IHandlerFamily, EventHandlers>();
        services.AddSingleton<IHandlerFamily, ResourceHandlers>();
        services.AddSingleton<IHandlerFamily, JobQueryHandlers>();
        services.AddSingleton<IHandlerFamily, RunawayJobHandlers>();
        services.AddSingleton<IHandlerFamily, UsageHandlers>();
        services.AddSingleton<IHandlerFamily, ReservationQueryHandlers>();
        services.AddSingleton<IHandlerFamily, ArchiveHandlers>();
        services.AddSingleton<IHandlerFamily, RollupHandlers>();
        // SEND_MULT_MSG dispatches its inner messages through the table that contains it.
        services.AddSingleton(provider => new Lazy<HandlerTable>(provider.GetRequiredService<HandlerTable>));
        services.AddSingleton<IHandlerFamily, ControllerBatchHandlers>();
        services.AddSingleton<HandlerTable>();

        AddSpool(services, config);

        services.AddSingleton(CredentialVerifierFrom(config));
        services.AddSingleton(CredentialFactoryFrom(config));
        services.AddSingleton(new ControllerNotifierOptions(4, TimeSpan.FromSeconds(2), config.MessageTimeout));
        services.AddSingleton<ControllerNotifier>();
        services.AddSingleton<IControllerNotifier>(provider => provider.GetRequiredService<ControllerNotifier>());
        services.AddHostedService(provider => provider.GetRequiredService<ControllerNotifier>());
        services.AddSingleton(provider => new SessionServices(
            provider.GetRequiredService<ICredentialVerifier>(),
            provider.GetRequiredService<HandlerTable>(),
            provider.GetRequiredService<RpcStatistics>(),
            provider.GetRequiredService<DatabaseLocator>(),
            provider.GetRequiredService<StorageWorkers>(),
            provider.GetRequiredService<GroupCommit>(),
            provider.GetRequiredService<ControllerWriteGate>(),
            config.PreserveCaseUser ? Model.Messages.PersistRc.FlagPreserveUserCase : (ushort)0,
            provider.GetRequiredService<ILogger<DbdSession>>(),
            provider.GetRequiredService<TimeProvider>()));
        builder.AddDaemonScheduling(TimeZoneInfo.Local);
        services.AddSingleton(ListenerOptionsFrom(config));
        services.AddSingleton<DbdListener>();
        services.AddHostedService(provider => provider.GetRequiredService<DbdListener>());
        return builder;
    }

    /// <summary>The spool that keeps controller records while no database is writable, and its replayer.</summary>
    private static void AddSpool(IServiceCollection services, DbdConfig config)
    {
        services.AddSingleton(SpoolOptions.From(config.StorageParameters));
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<SpoolOptions>();
            return MessageSpool.Open(options.Directory, options.LimitBytes, provider.GetRequiredService<ILogger<MessageSpool>>());
        });
        services.AddSingleton(provider =>
        {
            var spool = provider.GetRequiredService<MessageSpool>();
            return JobIndexBlock.Load(spool.Location, spool.HighestDbIndex());
        });
        services.AddSingleton<JobIndexBlockRepository>();
        services.AddSingleton<JobIndexReservation>();
        services.AddSingleton<ControllerWriteGate>();
        services.AddSingleton<SpoolReplayProgress>();
        services.AddHostedService<SpoolReplayer>();
    }

    public static StorageOptions StorageOptionsFrom(DbdConfig config)
    {
        var parameters = config.StorageParameters;
        return new StorageOptions
        {
            Host = config.StorageHost,
            BackupHost = config.StorageBackupHost,
            Port = config.StoragePort,
            User = config.StorageUser,
            Password = config.StoragePass,
            Database = config.StorageLoc,
            SslCa = parameters.GetValueOrDefault("SSL_CA"),
            SslCert = parameters.GetValueOrDefault("SSL_CERT"),
            SslKey = parameters.GetValueOrDefault("SSL_KEY"),
            ConnectTimeoutSeconds = PositiveOr(parameters.GetValueOrDefault("CONNECT_TIMEOUT"), 5),
            CommandTimeoutSeconds = PositiveOr(parameters.GetValueOrDefault("COMMAND_TIMEOUT"), 600),
            SpoolAfterSeconds = PositiveOr(parameters.GetValueOrDefault("SPOOL_AFTER"), 10),
        };
    }

    private static int PositiveOr(string? value, int fallback) =>
        int.TryParse(value, out int parsed) && parsed > 0 ? parsed : fallback;

    private static uint SlurmUserUid(DbdConfig config) =>
        UnixUsers.UidOfNameOrNumber(config.SlurmUser)
            ?? throw new ConfigException($"SlurmUser {config.SlurmUser} is not a known user");

    private static ICredentialVerifier CredentialVerifierFrom(DbdConfig config) => config.AuthType switch
    {
        "auth/none" => new NoneCredentialVerifier(),
        "auth/munge" => new MungeCredentialVerifier(new MungeClient(config.AuthInfo?.Socket),
            config.CommunicationParameters.BlockNullHash, config.CommunicationParameters.BlockZeroHash),
        _ => throw new ConfigException($"AuthType {config.AuthType} is not supported (auth/munge or auth/none)"),
    };

    private static ICredentialFactory CredentialFactoryFrom(DbdConfig config) => config.AuthType == "auth/none"
        ? new NoneCredentialFactory()
        : new MungeCredentialFactory(new MungeClient(config.AuthInfo?.Socket));

    /// <summary>
    /// DbdAddr (default DbdHost) names the address to listen on, as slurmdbd binds; "localhost" is
    /// 127.0.0.1. A port of 0 lets the system choose (tests).
    /// </summary>
    public static ListenerOptions ListenerOptionsFrom(DbdConfig config)
    {
        IPAddress address = config.DbdAddr switch
        {
            "localhost" => IPAddress.Loopback,
            var text when IPAddress.TryParse(text, out var parsed) => parsed,
            var name => Dns.GetHostAddresses(name).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? throw new ConfigException($"DbdAddr {name} does not resolve to an IPv4 address"),
        };
        return new ListenerOptions(address, config.DbdPort, config.MessageTimeout, MaxConnections);
    }
}
