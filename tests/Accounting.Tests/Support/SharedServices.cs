namespace Accounting.Tests.Support;

/// <summary>The real servers the integration and end-to-end tests share: one MariaDB, one munged.</summary>
public sealed class SharedServices : IAsyncLifetime
{
    public MariaDbServer MariaDb { get; } = new();
    public MungeServer Munge { get; } = new();

    public async Task InitializeAsync() => await Task.WhenAll(MariaDb.InitializeAsync(), Munge.InitializeAsync());

    public async Task DisposeAsync()
    {
        await MariaDb.DisposeAsync();
        await Munge.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ServicesCollection : ICollectionFixture<SharedServices>
{
    public const string Name = "real services";
}
