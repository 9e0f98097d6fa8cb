using System.Net;
using CityPairs.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CityPairs.IntegrationTests.Hosting;

/// <summary>Outside Development an unexpected failure shows the product's error page with a request id, never the exception.</summary>
public sealed class ErrorPageTests(PostgresDatabase database) : DatabaseTest(database)
{
    private const string Secret = "connection to db-internal-7 refused, password=hunter2";

    /// <summary>
    /// A request the app fails on. Added after the app's own pipeline, so the app's exception handler is around it;
    /// under /_framework because the fallback policy lets anonymous requests through there, as it must for Blazor.
    /// </summary>
    private sealed class FailingRequest : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map("/_framework/test-failure", failing => failing.Run(_ => throw new InvalidOperationException(Secret)));
        };
    }

    [Fact]
    public async Task An_unexpected_failure_shows_the_error_page_with_a_request_id_and_no_details()
    {
        await using var root = new CityPairsApp(Database.ConnectionString, ProductionSettings.Values);
        await using var app = root.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddTransient<IStartupFilter, FailingRequest>()));
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/_framework/test-failure", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("data-testid=\"error-page\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"account-page\"", html, StringComparison.Ordinal);
        Assert.Matches("data-testid=\"error-request-id\">[^<]+</code>", html);
        Assert.DoesNotContain("hunter2", html, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_error_page_opens_without_signing_in()
    {
        await using var app = new CityPairsApp(Database.ConnectionString, ProductionSettings.Values);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/error", UriKind.Relative));

        Assert.Equal("/error", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("data-testid=\"error-page\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
