using System.Globalization;
using CityPairs.Domain.Common;
using CityPairs.Domain.Matching;
using CityPairs.Domain.Partnerships;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Matching;
using CityPairs.Web.Features.Partnerships;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CityPairs.IntegrationTests.Matching;

public sealed class MatchingServiceTests(PostgresDatabase database) : DatabaseTest(database)
{
    private static readonly System.Security.Claims.ClaimsPrincipal Facilitator =
        TestUsers.Principal("test-facilitator", "facilitator@example.org", Web.Features.Accounts.Roles.Facilitator);

    private async Task<MatchingService> SeededAsync()
    {
        await using var db = Database.CreateDbContext();
        await DemoData.SeedAsync(db);
        // A cache of its own per test: the snapshot is the one thing instances share, and each test starts from empty tables.
        return new MatchingService(
            new MatchingSnapshotCache(Database.Factory, NullLogger<MatchingSnapshotCache>.Instance), Database.Factory, TimeProvider.System, TestUsers.As(Facilitator),
            new PartnershipService(Database.Factory, new PartnershipFormValidator(), TimeProvider.System, TestUsers.As(Facilitator), Database.Rules()));
    }

    private async Task<int> CityAsync(string name)
    {
        await using var db = Database.CreateDbContext();
        return await db.Cities.Where(c => c.Name == name).Select(c => c.Id).SingleAsync();
    }

    private async Task<int> ProgrammeAsync(string shortName)
    {
        await using var db = Database.CreateDbContext();
        return await db.Programmes.Where(p => p.ShortName == shortName).Select(p => p.Id).SingleAsync();
    }

    private async Task<int> PartnershipCountAsync()
    {
        await using var db = Database.CreateDbContext();
        return await db.Partnerships.CountAsync();
    }

    [Fact]
    public async Task Active_partners_are_never_suggested_and_completed_ones_are_flagged()
    {
        var matching = await SeededAsync();
        var barcelona = await CityAsync("Barcelona");

        var result = await matching.SuggestAsync(barcelona, null, null, null, limit: 100);

        var names = result.Suggestions.Select(s => s.CandidateName).ToList();
        Assert.DoesNotContain("Barcelona", names);
        // Medellín and Sarajevo are active pairings; Havana is active in the triangular partnership.
        Assert.DoesNotContain("Medellín", names);
        Assert.DoesNotContain("Sarajevo", names);
        Assert.DoesNotContain("Havana", names);
        var nanjing = Assert.Single(result.Suggestions, s => s.CandidateName == "Nanjing");
        Assert.True(result.PreviouslyCompleted(nanjing));
        Assert.False(nanjing.PreviouslyDiscontinued);
    }

    [Fact]
    public async Task A_discontinued_partner_is_suggested_and_flagged_as_such()
    {
        var matching = await SeededAsync();
        var edegem = await CityAsync("Edegem");

        var result = await matching.SuggestAsync(edegem, null, null, null, limit: 100);

        var sanJeronimo = Assert.Single(result.Suggestions, s => s.CandidateName == "San Jerónimo");
        Assert.True(sanJeronimo.PreviouslyDiscontinued);
        Assert.Contains("Edegem and San Jerónimo had a partnership that was discontinued", result.Sentences(sanJeronimo));
        Assert.All(result.Suggestions.Where(s => s.CandidateName != "San Jerónimo"), s => Assert.False(s.PreviouslyDiscontinued));
    }

    [Fact]
    public async Task A_programme_s_eligibility_pairs_one_city_in_Europe_with_one_outside()
    {
        var matching = await SeededAsync();
        var iuc = await ProgrammeAsync("IUC");

        var forRotterdam = await matching.SuggestAsync(await CityAsync("Rotterdam"), iuc, null, null, limit: 100);
        var forSurat = await matching.SuggestAsync(await CityAsync("Surat"), iuc, null, null, limit: 100);
        var unfiltered = await matching.SuggestAsync(await CityAsync("Rotterdam"), null, null, null, limit: 100);

        Assert.NotEmpty(forRotterdam.Suggestions);
        Assert.All(forRotterdam.Suggestions, s => Assert.NotEqual(Region.Europe, s.CandidateRegion));
        Assert.NotEmpty(forSurat.Suggestions);
        Assert.All(forSurat.Suggestions, s => Assert.Equal(Region.Europe, s.CandidateRegion));
        Assert.Contains(unfiltered.Suggestions, s => s.CandidateRegion == Region.Europe);
    }

    [Fact]
    public async Task Filters_limit_the_candidates_by_region_country_and_population()
    {
        var matching = await SeededAsync();
        var lima = await CityAsync("Lima");

        var european = await matching.SuggestAsync(lima, null, new MatchFilters(Regions: [Region.Europe]), null, limit: 100);
        var belgian = await matching.SuggestAsync(lima, null, new MatchFilters(CountryCodes: ["be"]), null, limit: 100);
        var small = await matching.SuggestAsync(lima, null, new MatchFilters(MaxPopulation: 50_000), null, limit: 100);

        Assert.All(european.Suggestions, s => Assert.Equal(Region.Europe, s.CandidateRegion));
        Assert.Equal(["Brasschaat", "Edegem", "Herent"], belgian.Suggestions.Select(s => s.CandidateName).Order());
        Assert.Contains(small.Suggestions, s => s.CandidateName == "Edegem");
        Assert.DoesNotContain(small.Suggestions, s => s.CandidateName == "Rotterdam");
    }

    [Fact]
    public async Task Unknown_cities_and_programmes_are_reported_not_thrown()
    {
        var matching = await SeededAsync();

        Assert.Equal(MatchProblem.CityNotFound, (await matching.SuggestAsync(int.MaxValue, null, null, null)).Problem);
        Assert.Equal(MatchProblem.ProgrammeNotFound, (await matching.SuggestAsync(await CityAsync("Lima"), int.MaxValue, null, null)).Problem);
    }

    [Fact]
    public async Task Proposing_a_suggestion_creates_a_proposed_partnership_that_says_why()
    {
        var matching = await SeededAsync();
        var lima = await CityAsync("Lima");
        var rotterdam = await CityAsync("Rotterdam");
        var iuc = await ProgrammeAsync("IUC");
        var shown = Assert.Single((await matching.SuggestAsync(lima, iuc, null, null, limit: 100)).Suggestions, s => s.CandidateId == rotterdam);

        var result = await matching.ProposeAsync(lima, rotterdam, iuc);

        Assert.True(result.Succeeded, result.Message);
        await using var db = Database.CreateDbContext();
        var partnership = await db.Partnerships
            .Include(p => p.Members).Include(p => p.Themes).Include(p => p.Programmes).Include(p => p.StatusHistory)
            .SingleAsync(p => p.Id == result.Value);
        Assert.Equal("Lima - Rotterdam", partnership.Name);
        Assert.Equal(PartnershipStatus.Proposed, partnership.Status);
        Assert.Equal(Modality.Pairing, partnership.Modality);
        Assert.Equal(new[] { lima, rotterdam }.Order(), partnership.Members.Select(m => m.CityId).Order());
        Assert.All(partnership.Members, m => Assert.Equal(MemberRole.Partner, m.Role));
        Assert.Equal(iuc, Assert.Single(partnership.Programmes).ProgrammeId);
        // Rotterdam offers water management, which Lima seeks; both list SDGs 6 and 11.
        Assert.Contains(partnership.Themes, t => t.Name == "Water management and sanitation");
        Assert.Equal([6, 11], partnership.Sdgs);
        Assert.StartsWith("Suggested by CityPairs matching on ", partnership.Description, StringComparison.Ordinal);
        var maximum = MatchWeights.Default.Maximum.ToString("0.##", CultureInfo.InvariantCulture);
        Assert.Contains($"(score {shown.Score.ToString("0.00", CultureInfo.InvariantCulture)} of {maximum})", partnership.Description, StringComparison.Ordinal);
        Assert.Contains("Rotterdam offers Water management and sanitation, which Lima seeks", partnership.Description, StringComparison.Ordinal);
        Assert.Equal("facilitator@example.org", Assert.Single(partnership.StatusHistory).By);

        // Once proposed, the pair is no longer suggested: a second proposal would only duplicate it.
        var after = await matching.SuggestAsync(lima, iuc, null, null, limit: 100);
        Assert.DoesNotContain(after.Suggestions, s => s.CandidateId == rotterdam);
    }

    [Fact]
    public async Task Proposing_the_same_pair_twice_is_refused_and_changes_nothing()
    {
        var matching = await SeededAsync();
        var lima = await CityAsync("Lima");
        var rotterdam = await CityAsync("Rotterdam");
        var first = await matching.ProposeAsync(lima, rotterdam, null);
        var count = await PartnershipCountAsync();

        var second = await matching.ProposeAsync(rotterdam, lima, null);

        Assert.Equal(SaveProblem.Duplicate, second.Problem);
        Assert.Equal(first.Value, second.ExistingId);
        Assert.Equal(count, await PartnershipCountAsync());
    }

    [Fact]
    public async Task Facilitators_proposing_the_same_pair_at_the_same_moment_get_one_partnership()
    {
        var matching = await SeededAsync();
        var lima = await CityAsync("Lima");
        var rotterdam = await CityAsync("Rotterdam");
        var count = await PartnershipCountAsync();

        // Both directions at once: without the pair lock several of these pass the "already proposed" check.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => i % 2 == 0
                ? matching.ProposeAsync(lima, rotterdam, null)
                : matching.ProposeAsync(rotterdam, lima, null))));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(SaveProblem.Duplicate, r.Problem));
        Assert.Equal(count + 1, await PartnershipCountAsync());
    }

    [Fact]
    public async Task Proposing_existing_partners_an_ineligible_pair_or_an_archived_city_is_refused()
    {
        var matching = await SeededAsync();
        var count = await PartnershipCountAsync();
        var iuc = await ProgrammeAsync("IUC");
        var hannover = await CityAsync("Hannover");
        await using (var db = Database.CreateDbContext())
        {
            await db.Cities.Where(c => c.Name == "Quito").ExecuteUpdateAsync(s => s.SetProperty(c => c.IsArchived, true));
        }

        var partners = await matching.ProposeAsync(await CityAsync("Barcelona"), await CityAsync("Medellín"), null);
        var twoEuropeans = await matching.ProposeAsync(await CityAsync("Rotterdam"), hannover, iuc);
        var archived = await matching.ProposeAsync(await CityAsync("Lima"), await CityAsync("Quito"), null);

        Assert.Equal(SaveProblem.Refused, partners.Problem);
        Assert.Contains("already partners", partners.Message, StringComparison.Ordinal);
        Assert.Equal(SaveProblem.Invalid, twoEuropeans.Problem);
        Assert.Contains("outside Europe", twoEuropeans.Message, StringComparison.Ordinal);
        Assert.Equal(SaveProblem.Refused, archived.Problem);
        Assert.Contains("Quito is archived", archived.Message, StringComparison.Ordinal);
        Assert.Equal(count, await PartnershipCountAsync());
    }
}
