using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityPairs.IntegrationTests.Api;
using CityPairs.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests.Calls;

/// <summary>
/// /api/v1/calls over real HTTP with Bearer tokens, under the page's rules: the demo coordinator acts for Tarija, the
/// demo officer's programmes work with Tarija but not with Nampula.
/// </summary>
[Collection(DatabaseTests.Name)]
public sealed class CallsApiTests(PostgresDatabase database, ApiApp api) : IClassFixture<ApiApp>, IAsyncLifetime
{
    public Task InitializeAsync() => api.StartAsync(database);

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(int Tarija, int Herent, int Nampula, int NampulaCall, int Water)> IdsAsync()
    {
        await using var db = database.CreateDbContext();
        var cities = await db.Cities.Where(c => c.Name == "Tarija" || c.Name == "Herent" || c.Name == "Nampula").ToDictionaryAsync(c => c.Name, c => c.Id);
        var nampulaCall = await db.PartnerCalls.Where(c => c.CityId == cities["Nampula"]).Select(c => c.Id).FirstAsync();
        var water = await db.Themes.Where(t => t.Name == "Water management and sanitation").Select(t => t.Id).SingleAsync();
        return (cities["Tarija"], cities["Herent"], cities["Nampula"], nampulaCall, water);
    }

    private static object Body(int cityId, int themeId, string title, string? expiresOn = null, uint version = 0) => new
    {
        cityId, title, themeIds = new[] { themeId }, sdgs = new[] { 6 }, modality = "Online",
        startsOn = DateTime.Today.AddMonths(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        endsOn = DateTime.Today.AddMonths(6).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        workingLanguages = new[] { "es" }, description = "Through the API.",
        expiresOn = expiresOn ?? DateTime.Today.AddMonths(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        isPublic = false, version,
    };

    [Fact]
    public async Task A_coordinator_publishes_for_their_city_reads_it_back_and_changes_it_and_every_other_role_is_refused()
    {
        var ids = await IdsAsync();
        using var coordinator = api.Client(DemoUser.Coordinator);

        using var created = await coordinator.PostAsJsonAsync(new Uri("/api/v1/calls", UriKind.Relative), Body(ids.Tarija, ids.Water, "API call from Tarija"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var call = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = call.GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/calls/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("Tarija", call.GetProperty("cityName").GetString());
        Assert.Equal("Online", call.GetProperty("modality").GetString());
        Assert.True(call.GetProperty("isLive").GetBoolean());

        var changed = Body(ids.Tarija, ids.Water, "API call from Tarija, changed", version: call.GetProperty("version").GetUInt32());
        using var updated = await coordinator.PutAsJsonAsync(new Uri($"/api/v1/calls/{id}", UriKind.Relative), changed);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        using var stale = await coordinator.PutAsJsonAsync(new Uri($"/api/v1/calls/{id}", UriKind.Relative), changed);
        await ApiContractTests.AssertProblemAsync(stale, HttpStatusCode.Conflict, "Conflict");

        // The same coordinator for another city, a facilitator, the officer for a city out of reach, nobody signed in.
        using var elsewhere = await coordinator.PostAsJsonAsync(new Uri("/api/v1/calls", UriKind.Relative), Body(ids.Herent, ids.Water, "Herent by Tarija"));
        await ApiContractTests.AssertProblemAsync(elsewhere, HttpStatusCode.Forbidden, "not allowed");
        using var facilitator = api.Client(DemoUser.Facilitator);
        using var byFacilitator = await facilitator.PostAsJsonAsync(new Uri("/api/v1/calls", UriKind.Relative), Body(ids.Tarija, ids.Water, "By a facilitator"));
        Assert.Equal(HttpStatusCode.Forbidden, byFacilitator.StatusCode);
        using var officer = api.Client(DemoUser.Officer);
        using var outOfReach = await officer.PostAsJsonAsync(new Uri("/api/v1/calls", UriKind.Relative), Body(ids.Nampula, ids.Water, "Nampula by the officer"));
        await ApiContractTests.AssertProblemAsync(outOfReach, HttpStatusCode.Forbidden, "not allowed");
        using var putOutOfReach = await officer.PutAsJsonAsync(new Uri($"/api/v1/calls/{ids.NampulaCall}", UriKind.Relative), Body(ids.Nampula, ids.Water, "Rewritten"));
        Assert.Equal(HttpStatusCode.Forbidden, putOutOfReach.StatusCode);
        using var withdrawOutOfReach = await officer.PostAsJsonAsync(new Uri($"/api/v1/calls/{ids.NampulaCall}/withdraw", UriKind.Relative), new { version = 0 });
        Assert.Equal(HttpStatusCode.Forbidden, withdrawOutOfReach.StatusCode);
        using var coordinatorWithdraws = await coordinator.PostAsJsonAsync(new Uri($"/api/v1/calls/{ids.NampulaCall}/withdraw", UriKind.Relative), new { version = 0 });
        Assert.Equal(HttpStatusCode.Forbidden, coordinatorWithdraws.StatusCode);
        using var anonymous = api.Client(DemoUser.Anonymous);
        using var byNobody = await anonymous.PostAsJsonAsync(new Uri("/api/v1/calls", UriKind.Relative), Body(ids.Tarija, ids.Water, "By nobody"));
        Assert.Equal(HttpStatusCode.Unauthorized, byNobody.StatusCode);
        using var readByNobody = await anonymous.GetAsync(new Uri("/api/v1/calls", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, readByNobody.StatusCode);

        await using var db = database.CreateDbContext();
        Assert.False(await db.PartnerCalls.AnyAsync(c => c.Title == "Herent by Tarija" || c.Title == "By a facilitator" || c.Title == "Nampula by the officer" || c.Title == "By nobody" || c.Title == "Rewritten"));
        Assert.False(await db.PartnerCalls.AnyAsync(c => c.Id == ids.NampulaCall && c.WithdrawnAt != null));
    }

    [Fact]
    public async Task The_list_shows_live_calls_paged_and_filtered_and_refuses_what_it_cannot_answer()
    {
        using var facilitator = api.Client(DemoUser.Facilitator);

        var page = await facilitator.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/calls?pageSize=2&modality=InPerson", UriKind.Relative));
        Assert.Equal(2, page.GetProperty("pageSize").GetInt32());
        Assert.All(page.GetProperty("items").EnumerateArray(), c =>
        {
            Assert.Equal("InPerson", c.GetProperty("modality").GetString());
            Assert.True(c.GetProperty("isLive").GetBoolean());
        });
        Assert.Contains(page.GetProperty("items").EnumerateArray(), c => c.GetProperty("cityName").GetString() == "Nampula");

        foreach (var (path, mentions) in new[]
        {
            ("/api/v1/calls?includePast=true", "officers"),
            ("/api/v1/calls?modality=Telepathy", "modality"),
            ("/api/v1/calls?sdg=18", "sdg"),
            ("/api/v1/calls?region=Atlantis", "region"),
            ("/api/v1/calls?pageSize=101", "pageSize"),
        })
        {
            using var response = await facilitator.GetAsync(new Uri(path, UriKind.Relative));
            await ApiContractTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, mentions);
        }

        using var officer = api.Client(DemoUser.Officer);
        using var past = await officer.GetAsync(new Uri("/api/v1/calls?includePast=true", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, past.StatusCode);
        using var missing = await facilitator.GetAsync(new Uri("/api/v1/calls/2147483647", UriKind.Relative));
        await ApiContractTests.AssertProblemAsync(missing, HttpStatusCode.NotFound, "Call not found");
    }

    [Fact]
    public async Task A_call_that_breaks_the_rules_is_a_400_naming_the_fields()
    {
        var ids = await IdsAsync();
        using var coordinator = api.Client(DemoUser.Coordinator);

        using var tooLate = await coordinator.PostAsJsonAsync(
            new Uri("/api/v1/calls", UriKind.Relative), Body(ids.Tarija, ids.Water, "Open for two years", expiresOn: DateTime.Today.AddYears(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        await ApiContractTests.AssertProblemAsync(tooLate, HttpStatusCode.BadRequest, "expiresOn");

        using var empty = await coordinator.PostAsJsonAsync(new Uri("/api/v1/calls", UriKind.Relative), new { cityId = ids.Tarija });
        var body = await empty.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        foreach (var field in new[] { "title", "themeIds", "modality", "startsOn", "endsOn", "workingLanguages", "expiresOn" })
        {
            Assert.Contains($"\"{field}\"", body, StringComparison.Ordinal);
        }
    }
}
