using System.Net;
using CityPairs.TestSupport;

namespace CityPairs.IntegrationTests.Hosting;

/// <summary>
/// Behind a TLS-terminating proxy: X-Forwarded-For and X-Forwarded-Proto are believed from a configured proxy only.
/// The app runs on a real port so the connection comes from 127.0.0.1, a real address to configure (or not).
/// </summary>
public sealed class ReverseProxyTests(PostgresDatabase database) : DatabaseTest(database)
{
    private const string Loopback = "127.0.0.1";
    private const string SomeOtherProxy = "10.20.30.40";

    private static HttpClient ClientFrom(CityPairsApp app, string forwardedFor, string? forwardedProto = null, string? host = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = host is null }) { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        if (forwardedProto is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        }

        if (host is not null)
        {
            client.DefaultRequestHeaders.Host = host;
        }

        return client;
    }

    private static async Task<HttpStatusCode> FailedSignInAsync(HttpClient client)
    {
        using var response = await SignIn.PostFormAsync(client, "/Account/Login", new() { ["Input.Email"] = "nobody@test.local", ["Input.Password"] = "wrong password 123" });
        return response.StatusCode;
    }

    private CityPairsApp Start(string knownProxy, Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string> { ["ReverseProxy:KnownProxies:0"] = knownProxy, ["RateLimits:SignInPerMinute"] = "2" };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        var app = new CityPairsApp(Database.ConnectionString, settings);
        app.Start();
        return app;
    }

    [Fact]
    public async Task Behind_a_known_proxy_each_real_client_has_its_own_sign_in_limit()
    {
        await using var app = Start(Loopback);
        using var first = ClientFrom(app, "203.0.113.5");
        using var second = ClientFrom(app, "203.0.113.6");

        var firstStatuses = new[] { await FailedSignInAsync(first), await FailedSignInAsync(first), await FailedSignInAsync(first) };
        var secondStatus = await FailedSignInAsync(second);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], firstStatuses);
        Assert.Equal(HttpStatusCode.OK, secondStatus);
    }

    [Fact]
    public async Task Forwarded_headers_from_an_unknown_address_are_ignored()
    {
        await using var app = Start(SomeOtherProxy);
        using var first = ClientFrom(app, "203.0.113.5");
        using var second = ClientFrom(app, "203.0.113.6");

        await FailedSignInAsync(first);
        await FailedSignInAsync(first);
        // A made-up X-Forwarded-For does not buy a fresh bucket: both count as 127.0.0.1, which has used its two.
        var secondStatus = await FailedSignInAsync(second);

        Assert.Equal(HttpStatusCode.TooManyRequests, secondStatus);
    }

    [Theory]
    [InlineData(Loopback, true)]
    [InlineData(SomeOtherProxy, false)]
    public async Task Outside_development_hsts_is_sent_when_a_known_proxy_says_the_request_came_over_https(string knownProxy, bool believed)
    {
        await using var app = Start(knownProxy, ProductionSettings.Values);
        using var client = ClientFrom(app, "203.0.113.5", forwardedProto: "https", host: "citypairs.example.org");

        using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(believed, response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Outside_development_every_cookie_is_secure()
    {
        await using var app = Start(Loopback, ProductionSettings.Values);
        using var client = ClientFrom(app, "203.0.113.5", forwardedProto: "https", host: "citypairs.example.org");

        using var response = await client.GetAsync(new Uri("/Account/Login", UriKind.Relative));

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode} {response.Headers.Location}");
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
    }
}
