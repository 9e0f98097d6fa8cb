using System.Net;
using CityPairs.TestSupport;
using CityPairs.Web.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CityPairs.IntegrationTests.Accounts;

/// <summary>
/// Every page and endpoint of the app, and who may reach it. The list of routes comes from the running app,
/// so a new page or endpoint without a row here fails the test: each one needs a decision.
/// </summary>
public sealed class AuthorizationMatrixTests(PostgresDatabase database, ITestOutputHelper output) : DatabaseTest(database)
{
    /// <summary>What a request gets: the page, a redirect to sign in, or a redirect to "not allowed".</summary>
    private enum Outcome
    {
        Ok,
        SignIn,
        Denied,
    }

    private const Outcome O = Outcome.Ok;
    private const Outcome S = Outcome.SignIn;
    private const Outcome D = Outcome.Denied;

    private static readonly DemoUser[] Users = [DemoUser.Anonymous, DemoUser.Coordinator, DemoUser.Facilitator, DemoUser.Officer, DemoUser.Administrator];

    /// <summary>Routes the matrix does not request, each with the reason; still decided, so still listed.</summary>
    private static readonly Dictionary<string, string> NotRequested = new()
    {
        ["POST /Account/Logout"] = "a form post with an antiforgery token; the browser tests sign out through it",
        ["/_blazor"] = "the circuit hub; the pages it serves are checked here",
        ["/_blazor/negotiate"] = "the circuit hub; the pages it serves are checked here",
        ["/_blazor/initializers"] = "Blazor's script initializers, no data",
        ["/_blazor/disconnect"] = "Blazor's circuit disconnect beacon, no data",
        ["/{**path:file}"] = "static files (styles, scripts, images), public by design",
    };

    [Fact]
    public async Task Every_page_and_endpoint_has_a_decision_and_the_server_keeps_it()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        var routes = AppRoutes(app); // starts the app, which loads the demo data
        var ids = await IdsAsync();

        // Columns: anonymous, coordinator of Tarija, facilitator, officer of VVSG C2C and WC, administrator.
        var matrix = new List<(string Route, string Path, Outcome[] Expected)>
        {
            ("/", "/", [O, O, O, O, O]),
            ("/directory", "/directory", [O, O, O, O, O]),
            ("/health/live", "/health/live", [O, O, O, O, O]),
            ("/health/ready", "/health/ready", [O, O, O, O, O]),
            ("/Account/Login", "/Account/Login", [O, O, O, O, O]),
            ("/Account/LoginWith2fa", "/Account/LoginWith2fa", [S, S, S, S, S]), // only right after a correct password
            ("/Account/ForgotPassword", "/Account/ForgotPassword", [O, O, O, O, O]),
            ("/Account/ResetPassword", "/Account/ResetPassword", [O, O, O, O, O]),
            ("/Account/Lockout", "/Account/Lockout", [O, O, O, O, O]),
            ("/Account/AccessDenied", "/Account/AccessDenied", [O, O, O, O, O]),
            ("/Account/EnableAuthenticator", "/Account/EnableAuthenticator", [S, O, O, O, O]),
            ("/cities", "/cities", [S, O, O, O, O]),
            ("/cities/{Id:int}", $"/cities/{ids.Herent}", [S, O, O, O, O]),
            ("/cities/new", "/cities/new", [S, D, D, O, O]),
            ("/cities/{Id:int}/edit", $"/cities/{ids.Tarija}/edit", [S, O, D, O, O]),
            ("/cities/{Id:int}/edit", $"/cities/{ids.Herent}/edit", [S, D, D, O, O]),
            ("/cities/{Id:int}/edit", $"/cities/{ids.Surat}/edit", [S, D, D, D, O]),
            ("/partnerships", "/partnerships", [S, O, O, O, O]),
            ("/partnerships/{Id:int}", $"/partnerships/{ids.BrasschaatTarija}", [S, O, O, O, O]),
            ("/partnerships/{id:int}/summary.pdf", $"/partnerships/{ids.SuratRotterdam}/summary.pdf", [S, O, O, O, O]), // as the partnership's page
            ("/partnerships/new", "/partnerships/new", [S, D, O, O, O]),
            ("/partnerships/{Id:int}/edit", $"/partnerships/{ids.BrasschaatTarija}/edit", [S, D, D, O, O]),
            ("/partnerships/{Id:int}/edit", $"/partnerships/{ids.SuratRotterdam}/edit", [S, D, D, D, O]),
            ("/partnerships/{PartnershipId:int}/exchanges/new", $"/partnerships/{ids.BrasschaatTarija}/exchanges/new", [S, O, D, O, O]),
            ("/partnerships/{PartnershipId:int}/exchanges/new", $"/partnerships/{ids.HerentNimlahakok}/exchanges/new", [S, D, D, O, O]),
            ("/partnerships/{PartnershipId:int}/exchanges/new", $"/partnerships/{ids.SuratRotterdam}/exchanges/new", [S, D, D, D, O]),
            ("/exchanges/{Id:int}/edit", $"/exchanges/{ids.TarijaExchange}/edit", [S, O, D, O, O]),
            ("/exchanges/{Id:int}/edit", $"/exchanges/{ids.HerentExchange}/edit", [S, D, D, O, O]),
            ("/programmes", "/programmes", [S, O, O, O, O]),
            ("/programmes/{Id:int}", $"/programmes/{ids.Vvsg}", [S, O, O, O, O]),
            ("/programmes/new", "/programmes/new", [S, D, D, D, O]),
            ("/programmes/{Id:int}/edit", $"/programmes/{ids.Vvsg}/edit", [S, D, D, O, O]),
            ("/programmes/{Id:int}/edit", $"/programmes/{ids.Iuc}/edit", [S, D, D, D, O]),
            ("/matches", "/matches", [S, D, O, O, O]),
            ("/api/v1/cities/{id:int}/matches", $"/api/v1/cities/{ids.Tarija}/matches", [S, D, O, O, O]),
            ("/api/v1/cities", "/api/v1/cities", [S, O, O, O, O]),
            ("/api/v1/cities/{id:int}", $"/api/v1/cities/{ids.Herent}", [S, O, O, O, O]),
            ("/api/v1/programmes", "/api/v1/programmes", [S, O, O, O, O]),
            ("/api/v1/programmes/{id:int}", $"/api/v1/programmes/{ids.Vvsg}", [S, O, O, O, O]),
            ("/api/v1/partnerships", "/api/v1/partnerships?status=Active", [S, O, O, O, O]),
            ("/api/v1/partnerships/{id:int}", $"/api/v1/partnerships/{ids.SuratRotterdam}", [S, O, O, O, O]),
            ("/api/v1/partnerships/{partnershipId:int}/exchanges", $"/api/v1/partnerships/{ids.HerentNimlahakok}/exchanges", [S, O, O, O, O]),
            ("/api/v1/exchanges/{id:int}", $"/api/v1/exchanges/{ids.HerentExchange}", [S, O, O, O, O]),
            ("/api/v1/openapi.json", "/api/v1/openapi.json", [O, O, O, O, O]), // describes the API, holds no data
            ("/api/reference/{documentName?}", "/api/reference/", [O, O, O, O, O]), // renders the document above
            ("/api/reference/scalar.js", "/api/reference/scalar.js", [O, O, O, O, O]), // the reference page's own script, no data
            ("/api/reference/scalar.aspnetcore.js", "/api/reference/scalar.aspnetcore.js", [O, O, O, O, O]),
            ("/api/reference/favicon.svg", "/api/reference/favicon.svg", [O, O, O, O, O]),
            ("/account/api-tokens", "/account/api-tokens", [S, O, O, O, O]), // each user's own tokens
            ("/admin/users", "/admin/users", [S, D, D, D, O]),
            ("/map", "/map", [S, O, O, O, O]),
            ("/dashboards", "/dashboards", [S, O, O, O, O]),
            ("/import", "/import", [S, D, D, O, O]),
            ("/export/cities.{format}", "/export/cities.csv", [S, O, O, O, O]),
            ("/export/partnerships.{format}", "/export/partnerships.csv", [S, O, O, O, O]),
            ("/export/portfolio.xlsx", "/export/portfolio.xlsx", [S, D, D, O, O]), // every city's contacts: those who may import
        };

        var undecided = routes.Where(r => !NotRequested.ContainsKey(r) && matrix.All(m => m.Route != r.Split(' ').Last())).ToList();
        Assert.True(undecided.Count == 0, "Routes without an authorization decision in this test: " + string.Join(", ", undecided));

        var mismatches = new List<string>();
        foreach (var (user, column) in Users.Select((u, i) => (u, i)))
        {
            using var client = await ClientAsync(app, user);
            foreach (var (_, path, expected) in matrix)
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                var actual = OutcomeOf(response);
                output.WriteLine($"{user,-14} {path,-40} {actual}");
                if (actual != expected[column])
                {
                    mismatches.Add($"{user} GET {path}: expected {expected[column]}, got {actual} ({(int)response.StatusCode} {response.Headers.Location})");
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    private static Outcome? OutcomeOf(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.OK => Outcome.Ok,
        HttpStatusCode.Redirect or HttpStatusCode.Found when response.Headers.Location?.OriginalString.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase) == true => Outcome.SignIn,
        HttpStatusCode.Unauthorized => Outcome.SignIn,
        HttpStatusCode.Redirect or HttpStatusCode.Found when response.Headers.Location?.OriginalString.Contains("/Account/AccessDenied", StringComparison.OrdinalIgnoreCase) == true => Outcome.Denied,
        HttpStatusCode.Forbidden => Outcome.Denied,
        _ => null,
    };

    /// <summary>Every route the app answers, as "METHOD /pattern" for non-GET endpoints and "/pattern" otherwise.</summary>
    private static List<string> AppRoutes(CityPairsApp app)
    {
        var sources = app.Services.GetServices<EndpointDataSource>();
        return [.. sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is null)
            .Select(e =>
            {
                var methods = e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
                var pattern = "/" + e.RoutePattern.RawText!.Trim('/');
                return methods.Count > 0 && !methods.Contains(HttpMethods.Get) ? $"{string.Join(",", methods)} {pattern}" : pattern;
            })
            .Where(r => !r.Contains("_framework/", StringComparison.Ordinal))
            .Distinct()];
    }

    private static async Task<HttpClient> ClientAsync(CityPairsApp app, DemoUser user)
    {
        var cookies = new CookieContainer();
        if (user != DemoUser.Anonymous)
        {
            using var signIn = app.CreateDefaultClient(new RedirectHandler(), new CookieContainerHandler(cookies));
            await signIn.SignInAsync(user);
        }

        return app.CreateDefaultClient(new CookieContainerHandler(cookies));
    }

    private sealed record Ids(
        int Tarija, int Herent, int Surat, int BrasschaatTarija, int HerentNimlahakok, int SuratRotterdam,
        int TarijaExchange, int HerentExchange, int Vvsg, int Iuc);

    private async Task<Ids> IdsAsync()
    {
        await using var db = Database.CreateDbContext();
        async Task<int> City(string name) => await db.Cities.Where(c => c.Name == name).Select(c => c.Id).SingleAsync();
        async Task<int> Partnership(string name) => await db.Partnerships.Where(p => p.Name == name).Select(p => p.Id).FirstAsync();
        async Task<int> Programme(string name) => await db.Programmes.Where(p => p.ShortName == name).Select(p => p.Id).SingleAsync();
        var brasschaatTarija = await Partnership("Brasschaat - Tarija");
        var herentNimlahakok = await Partnership("Herent - Nimlaha'kok");
        return new Ids(
            await City("Tarija"), await City("Herent"), await City("Surat"), brasschaatTarija, herentNimlahakok,
            await db.Partnerships.Where(p => p.Name.Contains("Surat")).Select(p => p.Id).FirstAsync(),
            await db.Exchanges.Where(e => e.PartnershipId == brasschaatTarija).Select(e => e.Id).FirstAsync(),
            await db.Exchanges.Where(e => e.PartnershipId == herentNimlahakok).Select(e => e.Id).FirstAsync(),
            await Programme("VVSG C2C"), await Programme("IUC"));
    }
}
