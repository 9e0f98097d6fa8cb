using System.Security.Claims;
using CityPairs.Domain.Calls;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Calls;
using CityPairs.Web.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests.Calls;

/// <summary>
/// Who may publish a call for which city, attacked as every wrong role; the form's rules; expiry by query; the
/// audit trail. Tarija works with VVSG C2C in the demo data; Nampula with no programme the test officers run.
/// </summary>
public sealed class CallServiceTests(PostgresDatabase database) : DatabaseTest(database)
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.Today);

    private sealed record Demo(int Tarija, int Herent, int Nampula, int Rotterdam, int Vvsg, int Iuc, int Water, int Mobility);

    private async Task<Demo> SeedAsync()
    {
        await using var db = Database.CreateDbContext();
        await DemoData.SeedAsync(db);
        var cities = await db.Cities.ToDictionaryAsync(c => c.Name, c => c.Id);
        var programmes = await db.Programmes.ToDictionaryAsync(p => p.ShortName, p => p.Id);
        var themes = await db.Themes.ToDictionaryAsync(t => t.Name, t => t.Id);
        return new Demo(
            cities["Tarija"], cities["Herent"], cities["Nampula"], cities["Rotterdam"], programmes["VVSG C2C"], programmes["IUC"],
            themes["Water management and sanitation"], themes["Urban mobility"]);
    }

    private CallService Calls(ClaimsPrincipal user) =>
        new(Database.Factory, new CallFormValidator(TimeProvider.System), TimeProvider.System, TestUsers.As(user), Database.Rules());

    private static ClaimsPrincipal Administrator => TestUsers.Principal("test-admin", "admin@test.local", Roles.Administrator, mfa: true);

    private static ClaimsPrincipal Facilitator => TestUsers.Principal("test-facilitator", "facilitator@test.local", Roles.Facilitator);

    private static ClaimsPrincipal Anonymous => new(new ClaimsIdentity());

    private static CallForm Form(int cityId, int themeId, string title = "Partner sought for water management") => new()
    {
        CityId = cityId,
        Title = title,
        ThemeIds = [themeId],
        Sdgs = [6],
        Modality = CallModality.Hybrid,
        StartsOn = DateTime.Today.AddMonths(1),
        EndsOn = DateTime.Today.AddMonths(10),
        WorkingLanguages = "es, en",
        Description = "We want to learn how to protect our water sources.",
        ExpiresOn = DateTime.Today.AddMonths(2),
        IsPublic = true,
    };

    private async Task<int> CallCountAsync(int cityId)
    {
        await using var db = Database.CreateDbContext();
        return await db.PartnerCalls.CountAsync(c => c.CityId == cityId);
    }

    [Fact]
    public async Task The_city_s_coordinators_officers_with_reach_and_administrators_publish_its_calls()
    {
        var demo = await SeedAsync();
        var coordinator = await Database.AddUserAsync(Roles.CityCoordinator, cityIds: [demo.Tarija]);
        var officer = await Database.AddUserAsync(Roles.ProgrammeOfficer, programmeIds: [demo.Vvsg]);
        var before = await CallCountAsync(demo.Tarija);

        foreach (var (user, title) in new[] { (coordinator, "By the coordinator"), (officer, "By the officer"), (Administrator, "By the administrator") })
        {
            var result = await Calls(user).CreateAsync(Form(demo.Tarija, demo.Water, title));
            Assert.True(result.Succeeded, $"{title}: {result.Message}");
        }

        Assert.Equal(before + 3, await CallCountAsync(demo.Tarija));
    }

    [Fact]
    public async Task Nobody_else_may_publish_change_or_withdraw_a_city_s_call()
    {
        var demo = await SeedAsync();
        var otherCoordinator = await Database.AddUserAsync(Roles.CityCoordinator, cityIds: [demo.Herent]);
        var officerWithoutReach = await Database.AddUserAsync(Roles.ProgrammeOfficer, programmeIds: [demo.Iuc]);
        var own = await Database.AddUserAsync(Roles.CityCoordinator, cityIds: [demo.Tarija]);
        var published = await Calls(own).CreateAsync(Form(demo.Tarija, demo.Water));
        Assert.True(published.Succeeded, published.Message);
        var form = (await Calls(own).GetFormAsync(published.Value))!;
        var before = await CallCountAsync(demo.Tarija);

        foreach (var attacker in new[] { otherCoordinator, officerWithoutReach, Facilitator, Anonymous })
        {
            Assert.Equal(SaveProblem.Forbidden, (await Calls(attacker).CreateAsync(Form(demo.Tarija, demo.Water, "Hijacked"))).Problem);

            var changed = (await Calls(own).GetFormAsync(published.Value))!;
            changed.Title = "Rewritten by someone else";
            Assert.Equal(SaveProblem.Forbidden, (await Calls(attacker).UpdateAsync(published.Value, changed)).Problem);
            Assert.Equal(SaveProblem.Forbidden, (await Calls(attacker).WithdrawAsync(published.Value, form.Version)).Problem);
        }

        // Moving someone else's call to one's own city is no way in either.
        var moved = (await Calls(own).GetFormAsync(published.Value))!;
        moved.CityId = demo.Herent;
        Assert.Equal(SaveProblem.Forbidden, (await Calls(otherCoordinator).UpdateAsync(published.Value, moved)).Problem);

        await using var db = Database.CreateDbContext();
        var call = await db.PartnerCalls.SingleAsync(c => c.Id == published.Value);
        Assert.Equal("Partner sought for water management", call.Title);
        Assert.Equal(demo.Tarija, call.CityId);
        Assert.Null(call.WithdrawnAt);
        Assert.Equal(before, await CallCountAsync(demo.Tarija));
    }

    public static TheoryData<string, string, string> BadForms => new()
    {
        { "no expiry", nameof(CallForm.ExpiresOn), "expiry date" },
        { "expiry today", nameof(CallForm.ExpiresOn), "must be in the future" },
        { "expiry past", nameof(CallForm.ExpiresOn), "must be in the future" },
        { "expiry beyond a year", nameof(CallForm.ExpiresOn), "at most 12 months" },
        { "nothing sought", nameof(CallForm.ThemeIds), "at least one theme or SDG" },
        { "no title", nameof(CallForm.Title), "Give the call a title" },
        { "unknown language", nameof(CallForm.WorkingLanguages), "two-letter ISO 639-1" },
        { "no language", nameof(CallForm.WorkingLanguages), "at least one working language" },
        { "time frame reversed", nameof(CallForm.EndsOn), "cannot be before its start" },
        { "time frame over", nameof(CallForm.EndsOn), "must end in the future" },
        { "sdg 18", nameof(CallForm.Sdgs), "numbered 1 to 17" },
        { "no modality", nameof(CallForm.Modality), "in person, online or hybrid" },
        { "unknown theme", nameof(CallForm.ThemeIds), "no longer exists" },
    };

    [Theory]
    [MemberData(nameof(BadForms))]
    public async Task A_call_that_breaks_a_rule_is_refused_with_a_message_on_the_field(string breaking, string field, string message)
    {
        var demo = await SeedAsync();
        var form = Form(demo.Tarija, demo.Water);
        switch (breaking)
        {
            case "no expiry": form.ExpiresOn = null; break;
            case "expiry today": form.ExpiresOn = DateTime.Today; break;
            case "expiry past": form.ExpiresOn = DateTime.Today.AddDays(-3); break;
            case "expiry beyond a year": form.ExpiresOn = DateTime.Today.AddMonths(12).AddDays(1); break;
            case "nothing sought": form.ThemeIds = []; form.Sdgs = []; break;
            case "no title": form.Title = "  "; break;
            case "unknown language": form.WorkingLanguages = "es, xx"; break;
            case "no language": form.WorkingLanguages = " "; break;
            case "time frame reversed": form.EndsOn = form.StartsOn!.Value.AddDays(-1); break;
            case "time frame over": form.StartsOn = DateTime.Today.AddMonths(-3); form.EndsOn = DateTime.Today.AddDays(-1); break;
            case "sdg 18": form.Sdgs = [18]; break;
            case "no modality": form.Modality = 0; break;
            case "unknown theme": form.ThemeIds = [int.MaxValue]; break;
            default: throw new ArgumentOutOfRangeException(nameof(breaking));
        }

        var before = await CallCountAsync(demo.Tarija);
        var result = await Calls(Administrator).CreateAsync(form);

        Assert.Equal(SaveProblem.Invalid, result.Problem);
        Assert.Contains(result.Errors, e => e.Field == field && e.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal(before, await CallCountAsync(demo.Tarija));
    }

    [Fact]
    public async Task A_call_open_for_exactly_twelve_months_is_accepted()
    {
        var demo = await SeedAsync();
        var form = Form(demo.Tarija, demo.Water);
        form.ExpiresOn = DateTime.Today.AddMonths(12);

        Assert.True((await Calls(Administrator).CreateAsync(form)).Succeeded);
    }

    [Fact]
    public async Task Expired_and_withdrawn_calls_leave_every_list_by_query_and_only_officers_list_them_again()
    {
        var demo = await SeedAsync();
        await using (var db = Database.CreateDbContext())
        {
            // Written as a day ago's save would have left them: one expires today, one was withdrawn.
            db.PartnerCalls.AddRange(
                new PartnerCall { CityId = demo.Herent, Title = "Expires today", SoughtSdgs = [13], Modality = CallModality.Online, StartsOn = Today, EndsOn = Today.AddMonths(6), WorkingLanguages = ["nl"], ExpiresOn = Today, IsPublic = true },
                new PartnerCall { CityId = demo.Herent, Title = "Withdrawn", SoughtSdgs = [13], Modality = CallModality.Online, StartsOn = Today, EndsOn = Today.AddMonths(6), WorkingLanguages = ["nl"], ExpiresOn = Today.AddMonths(1), IsPublic = true, WithdrawnAt = DateTimeOffset.UtcNow },
                new PartnerCall { CityId = demo.Herent, Title = "Live until tomorrow", SoughtSdgs = [13], Modality = CallModality.Online, StartsOn = Today, EndsOn = Today.AddMonths(6), WorkingLanguages = ["nl"], ExpiresOn = Today.AddDays(1), IsPublic = true });
            await db.SaveChangesAsync();
        }

        var officer = await Database.AddUserAsync(Roles.ProgrammeOfficer, programmeIds: [demo.Iuc]);
        var herentOnly = new CallListQuery(CityId: demo.Herent, IncludePast: true);

        Assert.Equal(["Live until tomorrow"], (await Calls(Facilitator).ListAsync(herentOnly)).Items.Select(c => c.Title));
        Assert.Equal(["Live until tomorrow"], (await Calls(Facilitator).LiveForCityAsync(demo.Herent)).Select(c => c.Title));
        Assert.DoesNotContain((await Calls(Anonymous).PublicAsync(pageSize: 100)).Items, c => c.CityId == demo.Herent && c.Title != "Live until tomorrow");

        var all = (await Calls(officer).ListAsync(herentOnly)).Items;
        Assert.Equal(["Expires today", "Live until tomorrow", "Withdrawn"], all.Select(c => c.Title).Order());
        Assert.Equal(["Live until tomorrow"], all.Where(c => c.IsLive).Select(c => c.Title));

        // A closed call's page is for officers and the city's editors; a facilitator reads it as gone, and nobody edits it.
        var expired = all.Single(c => c.Title == "Expires today").Id;
        Assert.Null(await Calls(Facilitator).GetAsync(expired));
        Assert.NotNull(await Calls(officer).GetAsync(expired));
        var form = (await Calls(Administrator).GetFormAsync(expired))!;
        form.ExpiresOn = DateTime.Today.AddMonths(1);
        Assert.Equal(SaveProblem.Refused, (await Calls(Administrator).UpdateAsync(expired, form)).Problem);
    }

    [Fact]
    public async Task Withdrawing_closes_the_call_once_and_an_edit_from_a_stale_page_is_a_conflict()
    {
        var demo = await SeedAsync();
        var coordinator = await Database.AddUserAsync(Roles.CityCoordinator, cityIds: [demo.Tarija]);
        var id = (await Calls(coordinator).CreateAsync(Form(demo.Tarija, demo.Water))).Value;
        var stale = (await Calls(coordinator).GetFormAsync(id))!;
        var fresh = (await Calls(coordinator).GetFormAsync(id))!;
        fresh.Title = "Partner sought for water and climate";
        Assert.True((await Calls(coordinator).UpdateAsync(id, fresh)).Succeeded);

        stale.Title = "Overwritten from an old page";
        Assert.Equal(SaveProblem.Conflict, (await Calls(coordinator).UpdateAsync(id, stale)).Problem);
        Assert.Equal(SaveProblem.Conflict, (await Calls(coordinator).WithdrawAsync(id, stale.Version)).Problem);

        var current = (await Calls(coordinator).GetAsync(id))!;
        Assert.True((await Calls(coordinator).WithdrawAsync(id, current.Version)).Succeeded);
        Assert.DoesNotContain((await Calls(Facilitator).LiveForCityAsync(demo.Tarija)), c => c.Id == id);
        var closed = (await Calls(coordinator).GetAsync(id))!;
        Assert.False(closed.IsLive);
        Assert.Equal(SaveProblem.Refused, (await Calls(coordinator).WithdrawAsync(id, closed.Version)).Problem);

        await using var db = Database.CreateDbContext();
        var entries = await db.AuditEntries.Where(e => e.EntityType == nameof(PartnerCall) && e.EntityId == id).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal(coordinator.UserId(), e.UserId));
        Assert.All(entries, e => Assert.Equal(("City", (int?)demo.Tarija), (e.ParentType, e.ParentId)));
    }

    [Fact]
    public async Task The_list_filters_by_theme_sdg_region_and_modality_and_pages_closing_soonest_first()
    {
        var demo = await SeedAsync();
        await using (var db = Database.CreateDbContext())
        {
            db.PartnerCalls.RemoveRange(db.PartnerCalls);
            await db.SaveChangesAsync();
        }

        var admin = Calls(Administrator);
        for (var i = 1; i <= 7; i++)
        {
            var form = Form(i % 2 == 0 ? demo.Rotterdam : demo.Tarija, i <= 3 ? demo.Mobility : demo.Water, $"Call {i}");
            form.ExpiresOn = DateTime.Today.AddDays(30 - i);
            form.Modality = i == 7 ? CallModality.Online : CallModality.Hybrid;
            form.Sdgs = i == 5 ? [11] : [6];
            Assert.True((await admin.CreateAsync(form)).Succeeded);
        }

        async Task<string[]> TitlesAsync(CallListQuery query) => [.. (await admin.ListAsync(query)).Items.Select(c => c.Title)];

        Assert.Equal(["Call 7", "Call 6", "Call 5", "Call 4", "Call 3", "Call 2", "Call 1"], await TitlesAsync(new CallListQuery()));
        Assert.Equal(["Call 3", "Call 2", "Call 1"], await TitlesAsync(new CallListQuery(ThemeId: demo.Mobility)));
        Assert.Equal(["Call 5"], await TitlesAsync(new CallListQuery(Sdg: 11)));
        Assert.Equal(["Call 7"], await TitlesAsync(new CallListQuery(Modality: CallModality.Online)));
        Assert.Equal(["Call 6", "Call 4", "Call 2"], await TitlesAsync(new CallListQuery(Region: Domain.Common.Region.Europe)));
        var second = await admin.ListAsync(new CallListQuery(Page: 1, PageSize: 3));
        Assert.Equal(7, second.TotalCount);
        Assert.Equal(["Call 4", "Call 3", "Call 2"], second.Items.Select(c => c.Title));
    }

    [Fact]
    public async Task The_public_directory_lists_only_live_calls_marked_public()
    {
        var demo = await SeedAsync();
        var admin = Calls(Administrator);
        var hidden = Form(demo.Tarija, demo.Water, "Internal call, not for the directory");
        hidden.IsPublic = false;
        Assert.True((await admin.CreateAsync(hidden)).Succeeded);
        Assert.True((await admin.CreateAsync(Form(demo.Tarija, demo.Water, "Public call for the directory"))).Succeeded);

        var shown = (await Calls(Anonymous).PublicAsync(pageSize: 100)).Items;

        Assert.Contains(shown, c => c.Title == "Public call for the directory");
        Assert.DoesNotContain(shown, c => c.Title == "Internal call, not for the directory");
        Assert.All(shown, c => Assert.True(c.IsPublic && c.IsLive));
    }

    [Fact]
    public async Task A_coordinator_is_offered_only_the_cities_they_act_for()
    {
        var demo = await SeedAsync();
        var coordinator = await Database.AddUserAsync(Roles.CityCoordinator, cityIds: [demo.Tarija]);

        Assert.Equal([demo.Tarija], (await Calls(coordinator).CitiesAsync(null)).Select(c => c.Id));
        Assert.Empty(await Calls(coordinator).CitiesAsync("Herent"));
        Assert.Empty(await Calls(Facilitator).CitiesAsync(null));
    }
}
