using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Domain.Matching;
using CityPairs.TestSupport;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Export;
using CityPairs.Web.Features.Import;
using CityPairs.Web.Features.Matching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CityPairs.IntegrationTests.Matching;

/// <summary>The matcher inside the real app (Development: it migrates and loads the demo data at start).</summary>
public sealed class MatchingAppTests(PostgresDatabase database) : DatabaseTest(database)
{
    [Fact]
    public async Task The_snapshot_follows_cities_saved_through_the_app_s_context_factory()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        var factory = app.Services.GetRequiredService<IDbContextFactory<CityPairsDbContext>>();
        await using var scope = app.Services.CreateAsyncScope();
        scope.ActAs(TestUsers.Principal("test-facilitator", "facilitator@example.org", Web.Features.Accounts.Roles.Facilitator));
        var matching = scope.ServiceProvider.GetRequiredService<MatchingService>();
        int surat;
        int waterThemeId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            surat = await db.Cities.Where(c => c.Name == "Surat").Select(c => c.Id).SingleAsync();
            waterThemeId = await db.Themes.Where(t => t.Name == "Water management and sanitation").Select(t => t.Id).SingleAsync();
        }

        var before = await matching.SuggestAsync(surat, null, null, null, limit: 100);
        Assert.DoesNotContain(before.Suggestions, s => s.CandidateName == "Testdorp");

        // A plain context from the app's factory, as any page or import would use: no call to the matcher.
        var testdorp = new City
        {
            Name = "Testdorp", CountryCode = "NL", Region = Region.Europe, Population = 500_000, Latitude = 52, Longitude = 5,
            Languages = ["nl", "gu"], PrioritySdgs = [6, 11, 13],
            Themes = [new CityTheme { ThemeId = waterThemeId, Interest = ThemeInterest.Offers }],
        };
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Cities.Add(testdorp);
            await db.SaveChangesAsync();
        }

        var added = await matching.SuggestAsync(surat, null, null, null, limit: 100);
        Assert.Contains(added.Suggestions, s => s.CandidateId == testdorp.Id);

        await using (var db = await factory.CreateDbContextAsync())
        {
            var city = await db.Cities.SingleAsync(c => c.Id == testdorp.Id);
            city.IsArchived = true;
            await db.SaveChangesAsync();
        }

        var archived = await matching.SuggestAsync(surat, null, null, null, limit: 100);
        Assert.DoesNotContain(archived.Suggestions, s => s.CandidateId == testdorp.Id);
    }

    [Fact]
    public async Task Cities_imported_by_COPY_are_suggested_as_soon_as_the_import_commits()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        await using var scope = app.Services.CreateAsyncScope();
        scope.ActAs(TestUsers.Principal("test-admin", "admin@test.local", Web.Features.Accounts.Roles.Administrator, mfa: true));
        var matching = scope.ServiceProvider.GetRequiredService<MatchingService>();
        var importer = scope.ServiceProvider.GetRequiredService<ImportService>();
        int surat;
        await using (var db = Database.CreateDbContext())
        {
            surat = await db.Cities.Where(c => c.Name == "Surat").Select(c => c.Id).SingleAsync();
        }

        // Loaded before the import, so only the import's own publish can put the new city in it.
        var before = await matching.SuggestAsync(surat, null, null, null, limit: 100);
        Assert.DoesNotContain(before.Suggestions, s => s.CandidateName == "Copydorp");
        var preview = await importer.PreviewAsync(ImportKind.Cities, Table.ReadCsv("""
            name,country,lat,lng,population,languages,sdgs
            Copydorp,NL,52.1,5.1,400000,"nl, gu",6;11;13
            """));
        var result = await importer.CommitAsync(preview, new HashSet<int>());
        Assert.True(result.Committed, result.Message);

        var after = await matching.SuggestAsync(surat, null, null, null, limit: 100);
        Assert.Contains(after.Suggestions, s => s.CandidateName == "Copydorp");
    }

    [Fact]
    public async Task The_matches_api_returns_scores_parts_and_sentences()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        using var client = app.CreateClient();
        await client.SignInAsync(DemoUser.Facilitator);
        int edegem;
        int iuc;
        await using (var db = Database.CreateDbContext())
        {
            edegem = await db.Cities.Where(c => c.Name == "Edegem").Select(c => c.Id).SingleAsync();
            iuc = await db.Programmes.Where(p => p.ShortName == "IUC").Select(p => p.Id).SingleAsync();
        }

        using var response = await client.GetAsync(new Uri($"/api/v1/cities/{edegem}/matches?limit=50", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal(edegem, root.GetProperty("cityId").GetInt32());
        Assert.Equal("Edegem", root.GetProperty("cityName").GetString());
        Assert.Equal(MatchWeights.Default.Maximum, root.GetProperty("weights").GetProperty("maximum").GetDouble());
        var suggestions = root.GetProperty("suggestions").EnumerateArray().ToList();
        Assert.InRange(suggestions.Count, 1, 50);
        var scores = suggestions.Select(s => s.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        foreach (var suggestion in suggestions)
        {
            var parts = suggestion.GetProperty("parts").EnumerateArray().ToList();
            Assert.Equal(suggestion.GetProperty("score").GetDouble(), parts.Sum(p => p.GetProperty("points").GetDouble()), 6);
            Assert.NotEmpty(suggestion.GetProperty("sentences").EnumerateArray());
        }

        var sanJeronimo = Assert.Single(suggestions, s => s.GetProperty("candidateName").GetString() == "San Jerónimo");
        Assert.True(sanJeronimo.GetProperty("previouslyDiscontinued").GetBoolean());
        Assert.Equal("LatinAmericaAndCaribbean", sanJeronimo.GetProperty("region").GetString());
        Assert.Contains(sanJeronimo.GetProperty("parts").EnumerateArray(),
            p => p.GetProperty("kind").GetString() == "SharedSdg" && p.GetProperty("names").EnumerateArray().Any(n => n.GetString() == "SDG 11 Sustainable Cities and Communities"));

        var latin = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/cities/{edegem}/matches?region=latinamericaandcaribbean&programme={iuc}", UriKind.Relative));
        Assert.All(latin.GetProperty("suggestions").EnumerateArray(), s => Assert.Equal("LatinAmericaAndCaribbean", s.GetProperty("region").GetString()));
    }

    [Theory]
    [InlineData("/api/v1/cities/{city}/matches?limit=0", HttpStatusCode.BadRequest, "limit")]
    [InlineData("/api/v1/cities/{city}/matches?limit=101", HttpStatusCode.BadRequest, "limit")]
    [InlineData("/api/v1/cities/{city}/matches?region=Atlantis", HttpStatusCode.BadRequest, "region")]
    [InlineData("/api/v1/cities/2147483647/matches", HttpStatusCode.NotFound, "City not found")]
    [InlineData("/api/v1/cities/{city}/matches?programme=2147483647", HttpStatusCode.NotFound, "Programme not found")]
    public async Task The_matches_api_answers_bad_requests_with_problem_details(string path, HttpStatusCode status, string mentions)
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        using var client = app.CreateClient();
        await client.SignInAsync(DemoUser.Facilitator);
        int lima;
        await using (var db = Database.CreateDbContext())
        {
            lima = await db.Cities.Where(c => c.Name == "Lima").Select(c => c.Id).SingleAsync();
        }

        using var response = await client.GetAsync(new Uri(path.Replace("{city}", lima.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), UriKind.Relative));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mentions, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
