using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CityPairs.EndToEndTests;

/// <summary>
/// City-led search in the browser: the coordinator of Tarija publishes a call and looks for partners for Tarija
/// (and only Tarija); a facilitator finds the calls and sees them lift suggestions in Matches.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class CallsPageTests(BrowserFixture browser)
{
    private async Task<int> CityAsync(string name)
    {
        await using var db = browser.Database.CreateDbContext();
        return await db.Cities.Where(c => c.Name == name).Select(c => c.Id).SingleAsync();
    }

    [Fact]
    public async Task A_coordinator_publishes_a_call_for_their_city_and_sees_matches_for_that_city_only()
    {
        var herent = await CityAsync("Herent");
        var page = await browser.OpenAsync("/calls", DemoUser.Coordinator);

        await page.Locator("[data-testid=call-new]").ClickAsync();
        await Expect(page.Locator("[data-testid=call-form]")).ToBeVisibleAsync();
        // The coordinator acts for one city, so it is chosen already; the dates come filled in.
        await Expect(page.Locator("[data-testid=call-form-city]")).ToHaveValueAsync("Tarija (BO)");
        await page.Locator("[data-testid=call-form-title]").FillAsync("Tarija looks for a youth participation partner");
        await page.Locator("[data-testid=call-sdgs]").ClickAsync();
        await page.Locator(".mud-popover-open").GetByText("SDG 16 · Peace, Justice and Strong Institutions").ClickAsync();
        // A multi-select stays open for more choices; a click outside it (on the heading) closes it, as a person would.
        var heading = (await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(heading.X + 5, heading.Y + 5);
        await Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        await page.Locator("[data-testid=call-languages]").FillAsync("es, en");
        await page.Locator("[data-testid=call-public]").ClickAsync();
        await page.Locator("[data-testid=save]").ClickAsync();

        await Expect(page.Locator("[data-testid=call-heading]")).ToHaveTextAsync("Tarija looks for a youth participation partner");
        await Expect(page.Locator("[data-testid=call-live]")).ToContainTextAsync("Open until");
        await Expect(page.Locator("[data-testid=call-public]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=call-withdraw]")).ToBeVisibleAsync();
        await using (var db = browser.Database.CreateDbContext())
        {
            var call = await db.PartnerCalls.SingleAsync(c => c.Title == "Tarija looks for a youth participation partner");
            Assert.Equal([16], call.SoughtSdgs);
            Assert.Equal(["es", "en"], call.WorkingLanguages);
            Assert.True(call.IsPublic);
        }

        // Matches opens on the coordinator's own city, with suggestions; proposing stays a facilitator's or officer's step.
        await page.GotoAsync("/matches");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page.Locator("[data-testid=match-card]").First).ToBeVisibleAsync();
        await Expect(page.GetByText("partners for Tarija")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=match-city]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=match-propose]")).ToHaveCountAsync(0);
        await page.Locator("[data-testid=match-compare]").First.ClickAsync();
        await Expect(page.Locator("[data-testid=compare-profile]")).ToHaveCountAsync(2);
        await page.Locator("[data-testid=compare-close]").ClickAsync();

        // Another city by the address bar, then from inside the circuit: the page shows no suggestion for it.
        await page.GotoAsync($"/matches?city={herent}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page.Locator("[data-testid=matches-problem]")).ToContainTextAsync("only for the cities you act for");
        await Expect(page.Locator("[data-testid=match-card]")).ToHaveCountAsync(0);

        await page.GotoAsync("/matches");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page.Locator("[data-testid=match-card]").First).ToBeVisibleAsync();
        await page.EvaluateAsync("path => Blazor.navigateTo(path)", $"/matches?city={herent}");
        await Expect(page.Locator("[data-testid=matches-problem]")).ToContainTextAsync("only for the cities you act for");
        await Expect(page.Locator("[data-testid=match-card]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_facilitator_finds_the_live_calls_and_sees_the_boost_and_its_reason_in_matches()
    {
        var tarija = await CityAsync("Tarija");
        var page = await browser.OpenAsync("/calls", DemoUser.Facilitator);

        var rows = page.Locator("[data-testid=call-title]");
        await Expect(rows.Filter(new() { HasText = "Partner sought for watershed management and climate adaptation" })).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=call-new]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=filter-past]")).ToHaveCountAsync(0);
        await BrowserFixture.SaveScreenshotAsync(page, "calls");

        await page.Locator("[data-testid=filter-modality]").ClickAsync();
        await page.Locator(".mud-popover-open").GetByText("In person").ClickAsync();
        await Expect(rows.Filter(new() { HasText = "Master planning and land management" })).ToHaveCountAsync(1);
        await Expect(rows.Filter(new() { HasText = "watershed" })).ToHaveCountAsync(0);

        await page.GotoAsync($"/matches?city={tarija}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var rotterdam = page.Locator("[data-testid=match-card]").Filter(new() { Has = page.Locator("[data-testid=match-candidate]", new() { HasText = "Rotterdam" }) });
        await Expect(rotterdam.Locator("[data-testid=match-seeking]")).ToContainTextAsync("Tarija is seeking partners until");
        await Expect(rotterdam.Locator("[data-testid=match-sentence]").Filter(new() { HasText = "Tarija is seeking partners on" })).ToHaveCountAsync(1);
        await Expect(rotterdam.Locator("[data-testid=match-propose]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_anonymous_visitor_sees_public_calls_in_the_directory_and_never_a_private_one()
    {
        var page = await browser.OpenAsync("/directory", DemoUser.Anonymous);

        var calls = page.Locator("[data-testid=directory-call]");
        await Expect(calls.Filter(new() { HasText = "Partner sought for watershed management and climate adaptation" })).ToHaveCountAsync(1);
        await Expect(calls.Filter(new() { HasText = "Master planning and land management" })).ToHaveCountAsync(0);
        await Expect(page.Locator("a[href^='mailto:']")).ToHaveCountAsync(0);
    }
}
