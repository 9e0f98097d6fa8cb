using System.Security.Claims;
using CityPairs.TestSupport;
using CityPairs.Web.Features.Accounts;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace CityPairs.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class DatabaseTests : ICollectionFixture<PostgresDatabase>
{
    public const string Name = "database";
}

/// <summary>
/// Each test starts from empty tables (reference data kept). Services come from the real app's container
/// (<see cref="ServicesAs"/>), so a test exercises the registrations, interceptors and options the app runs with.
/// </summary>
[Collection(DatabaseTests.Name)]
public abstract class DatabaseTest(PostgresDatabase database) : IAsyncLifetime
{
    protected PostgresDatabase Database { get; } = database;

    public async Task InitializeAsync()
    {
        // The app is built before the reset: in Development its start loads the demo data, which no test expects.
        _ = ContainerApp.For(Database);
        await Database.ResetAsync();
    }

    private readonly List<AsyncServiceScope> _scopes = [];

    public async Task DisposeAsync()
    {
        foreach (var scope in _scopes)
        {
            await scope.DisposeAsync();
        }
    }

    /// <summary>A service of the app's container acting as <paramref name="user"/>, in a scope that ends with the test.</summary>
    protected T Service<T>(ClaimsPrincipal user)
        where T : notnull
    {
        var scope = ServicesAs(user);
        _scopes.Add(scope);
        return scope.ServiceProvider.GetRequiredService<T>();
    }

    protected T Service<T>(ICurrentUser user)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(user);
        return Service<T>(user.GetAsync().GetAwaiter().GetResult());
    }

    /// <summary>A scope of the app's container whose services act as <paramref name="user"/>; dispose it after use.</summary>
    protected AsyncServiceScope ServicesAs(ClaimsPrincipal user)
    {
        var scope = ContainerApp.For(Database).Services.CreateAsyncScope();
        scope.ActAs(user);
        return scope;
    }

    /// <summary>As <see cref="ServicesAs(ClaimsPrincipal)"/>, for the fixed test users (<see cref="TestUsers.Administrator"/>, ...).</summary>
    protected AsyncServiceScope ServicesAs(ICurrentUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return ServicesAs(user.GetAsync().GetAwaiter().GetResult());
    }
}

/// <summary>
/// One <see cref="CityPairsApp"/> for the whole collection (starting one per test would cost seconds each), used
/// only as a service container: no server, and no hosted services, whose background work (change feed, outbox,
/// snapshot refresh) would race the per-test resets. Tests of those services start an app of their own.
/// </summary>
internal static class ContainerApp
{
    private static readonly Lock Gate = new();
    private static (PostgresDatabase Database, WebApplicationFactory<Program> App)? _current;

    public static WebApplicationFactory<Program> For(PostgresDatabase database)
    {
        lock (Gate)
        {
            if (_current is { } current && ReferenceEquals(current.Database, database))
            {
                return current.App;
            }

            var app = new CityPairsApp(database.ConnectionString).WithWebHostBuilder(builder =>
                builder.ConfigureTestServices(services => services.RemoveAll<IHostedService>()));
            _ = app.Services;
            _current = (database, app);
            return app;
        }
    }
}
