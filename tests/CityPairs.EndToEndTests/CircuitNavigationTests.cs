using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CityPairs.EndToEndTests;

/// <summary>
/// The authorization matrix again, but reached the way a curious visitor would: from a page that is open to them,
/// by <c>Blazor.navigateTo</c> in the browser console. Inside a circuit no HTTP request is made, so the server's
/// fallback policy never sees the navigation; only the page's own attributes, checked by AuthorizeRouteView, stand
/// between the visitor and the portfolio. Expected outcomes come from <see cref="AuthorizationMatrix"/>, the same
/// table the full-request test reads.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class CircuitNavigationTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string StartPath = "/directory";

    /// <summary>Open to everyone and unlike each other: a step between two navigations that would reuse one page.</summary>
    private static readonly string[] Neutral = [StartPath, "/"];

    private static readonly TimeSpan OutcomeTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Pages that keep working after their heading shows, and what they show when done. The map draws after its first
    /// render; leaving it sooner makes its late calls fail, and the error then replaces the next page (a bug of the map
    /// page, not of authorization), so the walk lets it finish first.
    /// </summary>
    private static readonly Dictionary<string, string> DoneWhen = new(StringComparer.Ordinal)
    {
        ["/map"] = "[data-testid=map][data-arcs]",
    };

    /// <summary>Every routable page of the app, by route template, found the way the Blazor router finds them.</summary>
    private static readonly Dictionary<string, Type> Pages = typeof(Program).Assembly.GetTypes()
        .Where(t => typeof(IComponent).IsAssignableFrom(t))
        .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (r.Template, Page: t)))
        .ToDictionary(p => p.Template, p => p.Page, StringComparer.Ordinal);

    [Fact]
    public async Task Every_routable_page_has_an_expected_outcome_for_every_role()
    {
        var matrix = await AuthorizationMatrix.RowsAsync(browser.Database);

        var undecided = Pages.Keys.Where(route => matrix.All(m => m.Route != route)).Order(StringComparer.Ordinal).ToList();

        Assert.True(undecided.Count == 0, "Pages without a row in AuthorizationMatrix: " + string.Join(", ", undecided));
        Assert.All(matrix, row => Assert.Equal(AuthorizationMatrix.Users.Count, row.Expected.Count));
    }

    [Fact]
    public Task Anonymous_visitor_navigating_inside_the_circuit_sees_no_portfolio_page() => NavigateEveryPageAsync(DemoUser.Anonymous);

    [Theory]
    [InlineData(DemoUser.Coordinator)]
    [InlineData(DemoUser.Facilitator)]
    [InlineData(DemoUser.Officer)]
    [InlineData(DemoUser.Administrator)]
    public Task A_signed_in_user_navigating_inside_the_circuit_opens_only_what_their_role_allows(DemoUser user) => NavigateEveryPageAsync(user);

    /// <summary>One browser context for the role; every page row of the matrix in turn, each from inside a live circuit.</summary>
    private async Task NavigateEveryPageAsync(DemoUser user)
    {
        // Pages excluded from interactive routing (the account pages, which set cookies) never render inside a
        // circuit: the interactive router does not know them, so only a full request reaches them, and the
        // full-request matrix checks those.
        var rows = (await AuthorizationMatrix.RowsAsync(browser.Database))
            .Where(r => Pages.TryGetValue(r.Route, out var type) && !type.IsDefined(typeof(ExcludeFromInteractiveRoutingAttribute)))
            .ToList();
        var page = await browser.OpenAsync(StartPath, user);
        try
        {
            var mismatches = new List<string>();
            Type? shown = Pages[StartPath]; // the page on screen; null when it is the "not allowed" message
            foreach (var row in rows)
            {
                var target = Pages[row.Route];
                if (!await InCircuitAsync(page))
                {
                    // The last step left the circuit (a sign-in redirect, or an account page, which renders statically).
                    await page.GotoAsync(StartPath);
                    await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                    shown = Pages[StartPath];
                }

                if (shown is null || shown == target)
                {
                    // Blazor would keep the elements on screen (same page, or the same "not allowed" message), and a
                    // stale heading or message must not pass for the outcome: step through a different page first.
                    var step = Neutral.First(n => Pages[n] != target && Pages[n] != shown);
                    var stepOutcome = await NavigateAsync(page, step);
                    if (stepOutcome != Outcome.Ok)
                    {
                        throw new InvalidOperationException($"{user} could not reach {step} inside the circuit ({stepOutcome?.ToString() ?? "nothing"} at {page.Url}).");
                    }

                    shown = Pages[step];
                }

                var expected = row.ExpectedFor(user);
                var actual = await NavigateAsync(page, row.Path);
                output.WriteLine($"{user,-14} {row.Path,-40} {actual}");
                if (actual != expected)
                {
                    var heading = await page.Locator("h1").AllInnerTextsAsync();
                    mismatches.Add($"{user} navigating to {row.Path}: expected {expected}, got {actual?.ToString() ?? "nothing recognisable"} (at {page.Url}, heading \"{string.Join(" / ", heading)}\")");
                }

                if (actual == Outcome.Ok && DoneWhen.TryGetValue(row.Route, out var done))
                {
                    await page.Locator(done).WaitForAsync(new() { State = WaitForSelectorState.Attached });
                }

                shown = actual == Outcome.Ok ? target : null;
            }

            Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>What the screen shows for a navigation to the given path, or null while it shows nothing decisive.</summary>
    private const string OutcomeScript = """
        target => {
            const path = location.pathname.toLowerCase();
            const fresh = selector => [...document.querySelectorAll(selector)]
                .filter(e => !e.hasAttribute('data-seen-before') && e.getClientRects().length > 0);
            if (fresh('[data-testid=not-found]').length > 0) return 'NotFound';
            if (fresh('[data-testid=not-allowed]').length > 0) return 'Denied';
            if (path === target.toLowerCase() && fresh('h1').some(h => !h.closest('[data-testid=not-allowed]'))) return 'Ok';
            if (path === '/account/login' && document.querySelector('[data-testid=login-email]')) return 'SignIn';
            if (path === '/account/accessdenied') return 'Denied';
            return null;
        }
        """;

    private static async Task<bool> InCircuitAsync(IPage page) =>
        await page.Locator("[data-testid=interactive]").CountAsync() > 0;

    /// <summary>
    /// Navigates inside the circuit, then waits for what the user would notice: a heading rendered after the
    /// navigation on the requested path (the page), the sign-in form (sent to sign in), or the "not allowed" message.
    /// Headings and messages already on screen are marked first, so they cannot be mistaken for the new page.
    /// </summary>
    private static async Task<Outcome?> NavigateAsync(IPage page, string path)
    {
        // The last page may still be rendering what it loaded (a heading after its data, say); marked too early, that
        // heading would look new and pass for the next page.
        await QuietAsync(page);
        await page.EvaluateAsync(
            """
            path => {
                document.querySelectorAll('h1, [data-testid=not-allowed]').forEach(e => e.setAttribute('data-seen-before', ''));
                Blazor.navigateTo(path);
            }
            """,
            path);

        var deadline = DateTime.UtcNow + OutcomeTimeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var seen = await page.EvaluateAsync<string?>(OutcomeScript, path);
                // What the user is left with once the screen stops changing, not a state on the way there.
                if (seen is not null && await QuietAsync(page) && seen == await page.EvaluateAsync<string?>(OutcomeScript, path))
                {
                    // "Page not found" is no outcome of the matrix: every row names a page that exists.
                    return Enum.TryParse<Outcome>(seen, out var outcome) ? outcome : null;
                }
            }
            catch (PlaywrightException)
            {
                // The document was replaced mid-check (a redirect to sign in is a full page load): look again.
            }

            await Task.Delay(100);
        }

        return null;
    }

    /// <summary>Waits until the page has not changed for a moment (at most a few seconds); false when the document was replaced meanwhile.</summary>
    private static async Task<bool> QuietAsync(IPage page)
    {
        try
        {
            await page.EvaluateAsync(
                """
                () => new Promise(resolve => {
                    let timer;
                    const done = () => { observer.disconnect(); resolve(); };
                    const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 300); });
                    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
                    timer = setTimeout(done, 300);
                    setTimeout(done, 5000);
                })
                """);
            return true;
        }
        catch (PlaywrightException)
        {
            return false;
        }
    }
}
