using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CityPairs.EndToEndTests;

/// <summary>Moving between pages from inside the circuit, the way the app's own links and code do.</summary>
[Collection(BrowserTests.Name)]
public sealed class InAppNavigationTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_account_page_opened_from_inside_the_circuit_opens_instead_of_not_found()
    {
        // Signed in: the access-denied page; anonymous: the sign-in page. Both render only statically.
        var signedIn = await browser.OpenAsync("/partnerships", DemoUser.Officer);
        await signedIn.EvaluateAsync("() => Blazor.navigateTo('/Account/AccessDenied')");
        await Expect(signedIn.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        await Expect(signedIn.Locator("[data-testid=not-found]")).ToHaveCountAsync(0);

        var anonymous = await browser.OpenAsync("/directory", DemoUser.Anonymous);
        await anonymous.EvaluateAsync("() => Blazor.navigateTo('/account/login')");
        await Expect(anonymous.Locator("[data-testid=login-email]")).ToBeVisibleAsync();
        await Expect(anonymous.Locator("[data-testid=not-found]")).ToHaveCountAsync(0);

        // A page that does not exist at all is still "not found", inside the circuit too.
        await anonymous.GotoAsync("/directory");
        await anonymous.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await anonymous.EvaluateAsync("() => Blazor.navigateTo('/no-such-page')");
        await Expect(anonymous.Locator("[data-testid=not-found]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Leaving_the_map_while_it_loads_leaves_no_error_on_the_next_page()
    {
        var page = await browser.OpenAsync("/partnerships", DemoUser.Officer);
        // The map's script arrives late, as on a slow line, so the page is left before it can draw.
        var served = new TaskCompletionSource();
        await page.Context.RouteAsync("**/js/map.js*", async route =>
        {
            await Task.Delay(1500);
            await route.ContinueAsync();
            served.TrySetResult();
        });

        await page.EvaluateAsync("() => Blazor.navigateTo('/map')");
        await page.Locator("[data-testid=map]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.EvaluateAsync("() => Blazor.navigateTo('/partnerships')");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Partnerships", Level = 1 })).ToBeVisibleAsync();
        await served.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The script ran against a page that is gone; give its answer time to arrive before looking.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.WaitForTimeoutAsync(1000);

        await Expect(page.Locator("[data-testid=page-error]")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Partnerships", Level = 1 })).ToBeVisibleAsync();
        Assert.Equal(1, await page.Locator("[data-testid=interactive]").CountAsync());
    }
}
