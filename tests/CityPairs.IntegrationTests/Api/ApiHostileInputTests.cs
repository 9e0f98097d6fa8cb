using System.Net;
using System.Text;
using System.Text.Json;
using CityPairs.TestSupport;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace CityPairs.IntegrationTests.Api;

/// <summary>
/// Thousands of malformed and hostile requests to every /api/v1 endpoint: each answer is below 500, every 4xx carries
/// a problem body with a message, and the database is the same afterwards.
/// </summary>
[Collection(DatabaseTests.Name)]
public sealed class ApiHostileInputTests(PostgresDatabase database, ApiApp api, ITestOutputHelper output) : IClassFixture<ApiApp>, IAsyncLifetime
{
    /// <summary>Query values: wrong types, markup, SQL, broken percent-encoded UTF-8, out-of-range numbers, far too long.</summary>
    private static readonly string[] HostileQueryValues =
    [
        "", "abc", "-1", "0", "2147483648", "-2147483649", "99999999999999999999", "1e10", "NaN", "1.5", "null", "true", "[]", "{}",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "'%20OR%201%3D1%20--", "1%3B%20DROP%20TABLE%20cities%3B%20--",
        "%27%3B%20DELETE%20FROM%20partnerships%3B%20--", "%C3%28", "%FF%FE", "%ED%A0%80", "%00", "%E2%80%AE", "%F0%9F%92%A9", "%25", "..%2F..%2Fetc%2Fpasswd",
        new string('x', 3000), string.Concat(Enumerable.Repeat("%E2%82%AC", 600)), "Active,Planned", "-name", "--name", "1,2", "0x10", " 7 ",
    ];

    private static readonly (string Path, string[] Parameters)[] Lists =
    [
        ("/api/v1/cities", ["page", "pageSize", "search", "country", "region", "sdg", "theme", "programme", "includeArchived", "sort"]),
        ("/api/v1/programmes", ["page", "pageSize", "search", "sort"]),
        ("/api/v1/partnerships", ["page", "pageSize", "search", "status", "modality", "programme", "city", "country", "sdg", "theme", "includeArchived", "sort"]),
        ("/api/v1/partnerships/{partnership}/exchanges", ["page", "pageSize"]),
        ("/api/v1/cities/{city}/matches", ["limit", "programme", "region"]),
    ];

    private static readonly string[] Details =
        ["/api/v1/cities/{x}", "/api/v1/programmes/{x}", "/api/v1/partnerships/{x}", "/api/v1/exchanges/{x}", "/api/v1/partnerships/{x}/exchanges", "/api/v1/cities/{x}/matches"];

    /// <summary>Values no field of a body accepts (so no hostile body can save anything).</summary>
    private static readonly object?[] HostileFieldValues =
    [
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "bell\u0007", "null\0byte", "\uD800 lone surrogate", new string('x', 100_001),
        -1, int.MaxValue, long.MaxValue, 1e308, -1e308, true, new object[] { "<b>", 1 }, new { nested = "<script>" },
        "10000-01-01", "2025-13-45", "0000-00-00", "'; DROP TABLE exchanges; --", "Atlantis",
    ];

    public Task InitializeAsync() => api.StartAsync(database);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Hostile_requests_to_every_api_endpoint_are_refused_with_a_message_and_change_nothing()
    {
        var before = await FingerprintAsync();
        var random = new Random(2026);
        var requests = new List<(HttpMethod Method, string Path, string? Body)>();
        string Ids(string path) => path
            .Replace("{partnership}", api.Ids.BrasschaatTarija.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{city}", api.Ids.Herent.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        foreach (var (path, parameters) in Lists)
        {
            foreach (var parameter in parameters)
            {
                requests.AddRange(HostileQueryValues.Select(value => (HttpMethod.Get, $"{Ids(path)}?{parameter}={value}", (string?)null)));
            }

            // Several hostile parameters at once, and the same parameter twice.
            for (var i = 0; i < 200; i++)
            {
                var query = string.Join('&', Enumerable.Range(0, 3).Select(_ =>
                    $"{parameters[random.Next(parameters.Length)]}={HostileQueryValues[random.Next(HostileQueryValues.Length)]}"));
                requests.Add((HttpMethod.Get, $"{Ids(path)}?{query}", null));
            }
        }

        foreach (var detail in Details)
        {
            requests.AddRange(HostileQueryValues.Where(v => v.Length is > 0 and < 1000 && !v.Contains("%2F", StringComparison.Ordinal))
                .Select(value => (HttpMethod.Get, detail.Replace("{x}", value, StringComparison.Ordinal), (string?)null)));
        }

        requests.AddRange(HostileBodies(ValidExchange()).Select(b => (HttpMethod.Post, Ids("/api/v1/partnerships/{partnership}/exchanges"), (string?)b)));
        requests.AddRange(HostileBodies(await ValidCityAsync()).Select(b => (HttpMethod.Put, Ids("/api/v1/cities/{city}"), (string?)b)));
        Assert.True(requests.Count >= 2000, $"Only {requests.Count} requests.");

        using var client = api.Client(DemoUser.Administrator);
        var failures = new List<string>();
        var refused = 0;
        foreach (var (method, path, body) in requests)
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            if (IsRejectedByKestrel(path, status))
            {
                refused++;
                continue;
            }

            if (status >= 500)
            {
                failures.Add($"{method} {Shorten(path)} {Shorten(body)}: {status}");
            }
            else if (status >= 400)
            {
                refused++;
                var text = await response.Content.ReadAsStringAsync();
                if (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !HasMessage(text))
                {
                    failures.Add($"{method} {Shorten(path)} {Shorten(body)}: {status} without a problem message: {Shorten(text)}");
                }
            }
            else if (method != HttpMethod.Get)
            {
                failures.Add($"{method} {Shorten(path)} {body}: {status}, a hostile body was accepted");
            }
        }

        output.WriteLine($"{requests.Count} requests, {refused} refused with a problem, {failures.Count} failures.");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(40)));
        Assert.Equal(before, await FingerprintAsync());
    }

    private static Dictionary<string, object?> ValidExchange() => new()
    {
        ["kind"] = "StudyVisit", ["title"] = "A valid title", ["startsOn"] = "2025-03-10", ["endsOn"] = "2025-03-12", ["isOnline"] = true,
        ["participants"] = new[] { new { actorType = "LocalOrNationalAuthority", role = "Technical", count = 2 } },
        ["interpretationLanguages"] = new[] { "es" }, ["sdgs"] = new[] { 6 }, ["outcomes"] = "Fine.", ["followUps"] = "", ["themeIds"] = Array.Empty<int>(),
        ["documents"] = Array.Empty<object>(),
    };

    private async Task<Dictionary<string, object?>> ValidCityAsync()
    {
        await using var db = database.CreateDbContext();
        var city = await db.Cities.AsNoTracking().SingleAsync(c => c.Id == api.Ids.Herent);
        return new()
        {
            ["name"] = city.Name, ["countryCode"] = city.CountryCode, ["region"] = city.Region.ToString(), ["adminArea"] = city.AdminArea,
            ["kind"] = city.Kind.ToString(), ["population"] = city.Population, ["latitude"] = city.Latitude, ["longitude"] = city.Longitude,
            ["languages"] = city.Languages, ["profile"] = city.Profile, ["prioritySdgs"] = city.PrioritySdgs, ["themes"] = Array.Empty<object>(),
            ["version"] = city.Version,
        };
    }

    /// <summary>The valid body with one field (sometimes two) made hostile, plus bodies that are not JSON at all.</summary>
    private static IEnumerable<string> HostileBodies(Dictionary<string, object?> valid)
    {
        string[] fields = [.. valid.Keys.Where(k => k is not ("isOnline" or "version"))];
        foreach (var field in fields)
        {
            foreach (var value in HostileFieldValues)
            {
                if (IsHarmlessFor(field, value))
                {
                    continue;
                }

                var body = new Dictionary<string, object?>(valid) { [field] = value };
                // The serializer would turn a lone surrogate into U+FFFD; send the escape itself, as a hostile client can.
                yield return JsonSerializer.Serialize(body).Replace("\\uFFFD", "\\uD800", StringComparison.Ordinal);
            }
        }

        foreach (var text in new[] { "", "{", "[]", "null", "\"text\"", "{\"title\":", "<xml/>", "{\"kind\": 999}", "{\"startsOn\": \"yesterday\"}", new string('[', 10_000) })
        {
            yield return text;
        }
    }

    /// <summary>Values that are valid for a field (a name may contain an SQL-looking sentence; negative latitude is real).</summary>
    private static bool IsHarmlessFor(string field, object? value) => (field, value) switch
    {
        ("name" or "title" or "adminArea" or "profile" or "outcomes" or "followUps", string text) =>
            text.StartsWith('\'') || text == "Atlantis" || text.Length is > 5 and < 12 && char.IsDigit(text[0]),
        ("latitude" or "longitude", -1) => true,
        ("population", int.MaxValue) => true,
        _ => false,
    };

    /// <summary>
    /// Kestrel answers these before the app sees the request, so no problem body can be added: a request line over its
    /// 8 KB limit (414) and a NUL byte in the path (400).
    /// </summary>
    private static bool IsRejectedByKestrel(string path, int status) =>
        (status == 414 && path.Length > 8000) || (status == 400 && path.Split('?')[0].Contains("%00", StringComparison.Ordinal));

    private static bool HasMessage(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return (root.TryGetProperty("title", out var title) && title.GetString()?.Length > 0) ||
                (root.TryGetProperty("detail", out var detail) && detail.GetString()?.Length > 0);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 120 ? text : text[..120] + "…";

    /// <summary>
    /// Every table's rows, hashed; API tokens are left out (using one records when it was last used), and of the outbox
    /// only which messages exist counts: the app's sender marks the demo proposals' e-mails sent while the test runs.
    /// </summary>
    private async Task<string> FingerprintAsync()
    {
        await using var db = database.CreateDbContext();
        var tables = await db.Database.SqlQueryRaw<string>(
            "SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' " +
            "AND table_name NOT IN ('api_tokens', 'data_protection_keys', '__ef_migrations_history') ORDER BY table_name").ToListAsync();
        var parts = new List<string>();
        foreach (var table in tables)
        {
#pragma warning disable EF1002 // table names come from the catalogue, not from input
            var row = table == "outbox_messages" ? "t.id::text" : "t::text";
            var hash = await db.Database.SqlQueryRaw<string>($"SELECT coalesce(md5(string_agg({row}, '|' ORDER BY {row})), '') AS \"Value\" FROM \"{table}\" t").SingleAsync();
#pragma warning restore EF1002
            parts.Add($"{table}:{hash}");
        }

        return string.Join(',', parts);
    }
}
