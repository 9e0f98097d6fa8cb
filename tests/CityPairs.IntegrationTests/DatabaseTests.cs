using CityPairs.TestSupport;

namespace CityPairs.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class DatabaseTests : ICollectionFixture<PostgresDatabase>
{
    public const string Name = "database";
}

/// <summary>Each test starts from empty tables (reference data kept).</summary>
[Collection(DatabaseTests.Name)]
public abstract class DatabaseTest(PostgresDatabase database) : IAsyncLifetime
{
    protected PostgresDatabase Database { get; } = database;

    public Task InitializeAsync() => Database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}
