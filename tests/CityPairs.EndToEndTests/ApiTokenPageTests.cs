using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CityPairs.EndToEndTests;

[Collection(BrowserTests.Name)]
public sealed class ApiTokenPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_user_creates_a_token_sees_it_once_uses_it_and_revokes_it()
    {
        var name = $"Browser script {Guid.NewGuid():N}"[..28];
        var page = await browser.OpenAsync("/", DemoUser.Coordinator);
        await page.Locator("[data-testid=api-tokens-link]").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API tokens", Level = 1 })).ToBeVisibleAsync();
        await page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

        await page.Locator("[data-testid=api-token-name]").FillAsync(name);
        await page.Locator("[data-testid=api-token-create]").ClickAsync();

        var secretField = page.Locator("[data-testid=api-token-secret]");
        await Expect(secretField).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^cpt_"));
        var secret = await secretField.InputValueAsync();
        var row = page.Locator("tr", new() { Has = page.GetByText(name, new() { Exact = true }) });
        await Expect(row.Locator("[data-testid=api-token-state]")).ToHaveTextAsync("Active");
        await Expect(row).ToContainTextAsync(secret[..12]);
        await BrowserFixture.SaveScreenshotAsync(page, "api-tokens");

        using var client = new HttpClient { BaseAddress = browser.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using (var response = await client.GetAsync(new Uri("/api/v1/cities?pageSize=1", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Shown once: after a reload only its first characters are left.
        await page.ReloadAsync();
        await page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await Expect(row).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=api-token-secret]")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

        await row.Locator("[data-testid=api-token-revoke]").ClickAsync();
        await Expect(row.Locator("[data-testid=api-token-state]")).ToHaveTextAsync("Revoked");
        using var revoked = await client.GetAsync(new Uri("/api/v1/cities?pageSize=1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    [Fact]
    public async Task The_api_reference_renders_with_the_network_cut_off()
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = browser.BaseAddress.ToString() });
        var origin = browser.BaseAddress.GetLeftPart(UriPartial.Authority);
        var outside = new List<string>();
        await context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith(origin, StringComparison.Ordinal))
            {
                await route.ContinueAsync();
            }
            else
            {
                outside.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });
        var page = await context.NewPageAsync();
        var blocked = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                blocked.Add(message.Text);
            }
        };

        await page.GotoAsync("/api/reference/");

        // Scalar parses the whole document in the browser before it draws anything: slow on a busy machine.
        await Expect(page.GetByText("Registered cities, paged", new() { Exact = false }).First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByText("Authorization: Bearer cpt_", new() { Exact = false }).First).ToBeVisibleAsync();
        await BrowserFixture.SaveScreenshotAsync(page, "api-reference");
        Assert.Empty(blocked);
        Assert.Empty(outside);
    }
}
