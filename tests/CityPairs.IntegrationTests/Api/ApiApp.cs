using System.Text.Json;
using CityPairs.TestSupport;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace CityPairs.IntegrationTests.Api;

/// <summary>
/// The real app on Kestrel with the demo data, started once for a test class, and a token per demo user.
/// Tests of the class only read, or create records of their own, so they can share it.
/// </summary>
public sealed class ApiApp : IAsyncLifetime
{
    private readonly SemaphoreSlim _start = new(1, 1);

    public CityPairsApp App { get; private set; } = null!;

    public PostgresDatabase Database { get; private set; } = null!;

    public Dictionary<DemoUser, string> Tokens { get; } = [];

    public DemoIds Ids { get; private set; } = null!;

    public async Task StartAsync(PostgresDatabase database)
    {
        await _start.WaitAsync();
        try
        {
            if (App is not null)
            {
                return;
            }

            Database = database;
            await database.ResetAsync();
            var app = new CityPairsApp(database.ConnectionString);
            app.Start();
            foreach (var user in new[] { DemoUser.Coordinator, DemoUser.Facilitator, DemoUser.Officer, DemoUser.Administrator })
            {
                Tokens[user] = (await app.CreateApiTokenAsync(user, $"contract tests ({user})")).Secret;
            }

            Ids = await DemoIds.LoadAsync(database);
            App = app;
        }
        finally
        {
            _start.Release();
        }
    }

    public HttpClient Client(DemoUser user) => App.BearerClient(user == DemoUser.Anonymous ? null : Tokens[user]);

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        _start.Dispose();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}

public sealed record DemoIds(int Tarija, int Herent, int Surat, int BrasschaatTarija, int HerentNimlahakok, int TarijaExchange, int Vvsg)
{
    public static async Task<DemoIds> LoadAsync(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var db = database.CreateDbContext();
        async Task<int> City(string name) => await db.Cities.Where(c => c.Name == name).Select(c => c.Id).SingleAsync();
        async Task<int> Partnership(string name) => await db.Partnerships.Where(p => p.Name == name).Select(p => p.Id).FirstAsync();
        var brasschaatTarija = await Partnership("Brasschaat - Tarija");
        return new DemoIds(
            await City("Tarija"), await City("Herent"), await City("Surat"), brasschaatTarija, await Partnership("Herent - Nimlaha'kok"),
            await db.Exchanges.Where(e => e.PartnershipId == brasschaatTarija).Select(e => e.Id).FirstAsync(),
            await db.Programmes.Where(p => p.ShortName == "VVSG C2C").Select(p => p.Id).SingleAsync());
    }
}
