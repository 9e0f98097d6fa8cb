using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityPairs.Domain.Matching;
using CityPairs.TestSupport;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Calls;
using CityPairs.Web.Features.Matching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CityPairs.IntegrationTests.Calls;

/// <summary>
/// Calls inside the running app (demo data: Tarija seeks water management and climate adaptation, which Rotterdam
/// offers): matching shows the boost and its reason, and follows a call's changes without anyone refreshing it.
/// </summary>
public sealed class CallMatchingTests(PostgresDatabase database) : DatabaseTest(database)
{
    private static readonly System.Security.Claims.ClaimsPrincipal Facilitator =
        TestUsers.Principal("test-facilitator", "facilitator@example.org", Roles.Facilitator);

    private static readonly System.Security.Claims.ClaimsPrincipal Administrator =
        TestUsers.Principal("test-admin", "admin@test.local", Roles.Administrator, mfa: true);

    private async Task<(int Tarija, int Rotterdam, int TarijaCall)> DemoAsync()
    {
        await using var db = Database.CreateDbContext();
        var tarija = await db.Cities.Where(c => c.Name == "Tarija").Select(c => c.Id).SingleAsync();
        var rotterdam = await db.Cities.Where(c => c.Name == "Rotterdam").Select(c => c.Id).SingleAsync();
        var call = await db.PartnerCalls.Where(c => c.CityId == tarija).Select(c => c.Id).SingleAsync();
        return (tarija, rotterdam, call);
    }

    private static ScorePart? Seeking(MatchResult result, int candidateId) =>
        result.Suggestions.Single(s => s.CandidateId == candidateId).Parts.SingleOrDefault(p => p.Kind == ScorePartKind.SeekingPartners);

    [Fact]
    public async Task A_live_call_lifts_the_cities_that_offer_what_it_seeks_and_withdrawing_or_publishing_it_refreshes_matching_at_once()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        await using var scope = app.Services.CreateAsyncScope();
        scope.ActAs(Administrator);
        var matching = scope.ServiceProvider.GetRequiredService<MatchingService>();
        var calls = scope.ServiceProvider.GetRequiredService<CallService>();
        var (tarija, rotterdam, callId) = await DemoAsync();

        // Both directions: in Tarija's list Rotterdam meets Tarija's call; in Rotterdam's, Tarija is the one seeking.
        var fromTarija = await matching.SuggestAsync(tarija, null, null, null, limit: 100);
        var part = Seeking(fromTarija, rotterdam);
        Assert.NotNull(part);
        Assert.Equal(tarija, part.SeekerCityId);
        var call = (await calls.GetAsync(callId))!;
        Assert.Equal(call.ExpiresOn, part.Until);
        var sentence = Assert.Single(fromTarija.Sentences(fromTarija.Suggestions.Single(s => s.CandidateId == rotterdam)), s => s.Contains("seeking partners", StringComparison.Ordinal));
        Assert.StartsWith("Tarija is seeking partners on ", sentence, StringComparison.Ordinal);
        Assert.Contains("Water management and sanitation", sentence, StringComparison.Ordinal);
        Assert.Contains("SDG 6 Clean Water and Sanitation", sentence, StringComparison.Ordinal);
        Assert.Contains(" until ", sentence, StringComparison.Ordinal);
        var fromRotterdam = await matching.SuggestAsync(rotterdam, null, null, null, limit: 100);
        Assert.Equal(tarija, Seeking(fromRotterdam, tarija)?.SeekerCityId);
        var boosted = fromRotterdam.Suggestions.Single(s => s.CandidateId == tarija).Score;

        // Withdrawn through the service (the interceptor refreshes Tarija's profile): the boost is gone on the next query.
        Assert.True((await calls.WithdrawAsync(callId, call.Version)).Succeeded);
        var after = await matching.SuggestAsync(rotterdam, null, null, null, limit: 100);
        Assert.Null(Seeking(after, tarija));
        Assert.True(after.Suggestions.Single(s => s.CandidateId == tarija).Score < boosted);

        // A new call comes back as soon as it is saved.
        var form = (await calls.GetFormAsync(callId))!;
        form.Title = "Water again";
        form.ThemeIds = [];
        form.Sdgs = [6];
        form.ExpiresOn = DateTime.Today.AddMonths(1);
        Assert.True((await calls.CreateAsync(form)).Succeeded);
        var again = Seeking(await matching.SuggestAsync(rotterdam, null, null, null, limit: 100), tarija);
        Assert.NotNull(again);
        Assert.Equal([6], again.Sdgs);
        Assert.Equal(DateOnly.FromDateTime(DateTime.Today.AddMonths(1)), again.Until);
    }

    [Fact]
    public async Task The_matches_api_names_the_call_in_the_parts_and_the_sentences()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        using var client = app.CreateClient();
        await client.SignInAsync(DemoUser.Facilitator);
        var (tarija, rotterdam, _) = await DemoAsync();

        var matches = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/cities/{tarija}/matches?limit=100", UriKind.Relative));

        var suggestion = matches.GetProperty("suggestions").EnumerateArray().Single(s => s.GetProperty("candidateId").GetInt32() == rotterdam);
        var part = suggestion.GetProperty("parts").EnumerateArray().Single(p => p.GetProperty("kind").GetString() == "SeekingPartners");
        Assert.Equal(tarija, part.GetProperty("seekerCityId").GetInt32());
        Assert.Contains(part.GetProperty("names").EnumerateArray(), n => n.GetString() == "Water management and sanitation");
        Assert.Contains(6, part.GetProperty("sdgs").EnumerateArray().Select(s => s.GetInt32()));
        Assert.True(DateOnly.TryParse(part.GetProperty("until").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Contains(suggestion.GetProperty("sentences").EnumerateArray(), s => s.GetString()!.StartsWith("Tarija is seeking partners on", StringComparison.Ordinal));
        Assert.Equal(suggestion.GetProperty("score").GetDouble(), suggestion.GetProperty("parts").EnumerateArray().Sum(p => p.GetProperty("points").GetDouble()), 6);
    }

    [Fact]
    public async Task A_coordinator_asks_matches_for_their_own_cities_only_through_the_service_and_the_api()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        await using var scope = app.Services.CreateAsyncScope(); // starts the app, which loads the demo data
        var (tarija, rotterdam, _) = await DemoAsync();
        var coordinator = await Database.AddUserAsync(Roles.CityCoordinator, cityIds: [tarija]);
        scope.ActAs(coordinator);
        var matching = scope.ServiceProvider.GetRequiredService<MatchingService>();

        Assert.Equal(MatchProblem.None, (await matching.SuggestAsync(tarija, null, null, null)).Problem);
        var refused = await matching.SuggestAsync(rotterdam, null, null, null);
        Assert.Equal(MatchProblem.Forbidden, refused.Problem);
        Assert.Empty(refused.Suggestions);
        Assert.Equal([tarija], (await matching.OwnCitiesAsync())!.Select(c => c.Id));

        // The demo coordinator of Tarija through the API: their city answers, another city is 403, and so is the anonymous world.
        using var client = app.CreateClient();
        await client.SignInAsync(DemoUser.Coordinator);
        using var own = await client.GetAsync(new Uri($"/api/v1/cities/{tarija}/matches", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        using var other = await client.GetAsync(new Uri($"/api/v1/cities/{rotterdam}/matches", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("cities you act for", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A facilitator and an officer may ask for any city; a user with no role for none.
        scope.ActAs(Facilitator);
        Assert.Null(await matching.OwnCitiesAsync());
        Assert.Equal(MatchProblem.None, (await matching.SuggestAsync(rotterdam, null, null, null)).Problem);
        scope.ActAs(TestUsers.Principal("nobody", "nobody@test.local", "NoSuchRole"));
        Assert.Equal(MatchProblem.Forbidden, (await matching.SuggestAsync(rotterdam, null, null, null)).Problem);
    }
}
