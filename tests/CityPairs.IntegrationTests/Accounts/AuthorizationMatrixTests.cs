using System.Net;
using CityPairs.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CityPairs.IntegrationTests.Accounts;

/// <summary>
/// Every page and endpoint of the app, and who may reach it with a full request. The list of routes comes from the
/// running app, so a new page or endpoint without a row in <see cref="AuthorizationMatrix"/> (or a reason here not
/// to request it) fails the test: each one needs a decision.
/// </summary>
public sealed class AuthorizationMatrixTests(PostgresDatabase database, ITestOutputHelper output) : DatabaseTest(database)
{
    /// <summary>Routes the matrix does not request, each with the reason; still decided, so still listed.</summary>
    private static readonly Dictionary<string, string> NotRequested = new()
    {
        ["POST /Account/Logout"] = "a form post with an antiforgery token; the browser tests sign out through it",
        ["/_blazor"] = "the circuit hub; the pages it serves are checked here",
        ["/_blazor/negotiate"] = "the circuit hub; the pages it serves are checked here",
        ["/_blazor/initializers"] = "Blazor's script initializers, no data",
        ["/_blazor/disconnect"] = "Blazor's circuit disconnect beacon, no data",
        ["/{**path:file}"] = "static files (styles, scripts, images), public by design",
        ["/inbox/{id:long}"] = "opens one person's own notification: sign-in for visitors and 404 for anyone else, tested in Notifications/InboxTests",
        ["POST /api/v1/calls/{id:int}/withdraw"] = "a POST with a body; Calls/CallRulesTests withdraw as each wrong role",
        ["POST /api/v1/partnerships/{id:int}/agree"] = "a write; InvitationApiTests send it as each role",
        ["POST /api/v1/invitations/{id:int}/accept"] = "a write; InvitationApiTests send it as each role",
        ["POST /api/v1/invitations/{id:int}/decline"] = "a write; InvitationApiTests send it as each role",
        ["POST /api/v1/invitations/{id:int}/questions"] = "a write; InvitationApiTests send it as each role",
    };

    [Fact]
    public async Task Every_page_and_endpoint_has_a_decision_and_the_server_keeps_it()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        var routes = AppRoutes(app); // starts the app, which loads the demo data
        var matrix = await AuthorizationMatrix.RowsAsync(Database);

        var undecided = routes.Where(r => !NotRequested.ContainsKey(r) && matrix.All(m => m.Route != r.Split(' ').Last())).ToList();
        Assert.True(undecided.Count == 0, "Routes without an authorization decision in AuthorizationMatrix: " + string.Join(", ", undecided));

        var mismatches = new List<string>();
        foreach (var user in AuthorizationMatrix.Users)
        {
            using var client = await ClientAsync(app, user);
            foreach (var (path, expected) in matrix.Select(m => (m.Path, m.ExpectedFor(user))))
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
                var actual = OutcomeOf(response);
                output.WriteLine($"{user,-14} {path,-40} {actual}");
                if (actual != expected)
                {
                    mismatches.Add($"{user} GET {path}: expected {expected}, got {actual} ({(int)response.StatusCode} {response.Headers.Location})");
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
}
