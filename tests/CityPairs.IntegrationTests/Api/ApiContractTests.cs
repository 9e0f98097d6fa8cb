using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityPairs.TestSupport;
using CityPairs.Web.Features.Accounts.ApiTokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace CityPairs.IntegrationTests.Api;

/// <summary>
/// The /api/v1 contract, resource by resource, over real HTTP with Bearer tokens: status codes, the JSON field names
/// and types a client relies on (a renamed field fails here), paging, and who may call what.
/// </summary>
[Collection(DatabaseTests.Name)]
public sealed class ApiContractTests(PostgresDatabase database, ApiApp api) : IClassFixture<ApiApp>, IAsyncLifetime
{
    private const string Paged = "items:array page:number pageSize:number totalCount:number totalPages:number";

    private DemoIds Ids => api.Ids;

    public Task InitializeAsync() => api.StartAsync(database);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Cities_list_pages_with_metadata_and_keeps_its_field_names()
    {
        using var client = api.Client(DemoUser.Facilitator);
        int active;
        await using (var db = database.CreateDbContext())
        {
            active = await db.Cities.CountAsync(c => !c.IsArchived);
        }

        using var response = await client.GetAsync(new Uri("/api/v1/cities?page=2&pageSize=5", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await ApiApp.JsonAsync(response);
        AssertShape(body, Paged);
        Assert.Equal(2, body.GetProperty("page").GetInt32());
        Assert.Equal(5, body.GetProperty("pageSize").GetInt32());
        Assert.Equal(active, body.GetProperty("totalCount").GetInt32());
        Assert.Equal((active + 4) / 5, body.GetProperty("totalPages").GetInt32());
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, items.Count);
        foreach (var city in items)
        {
            AssertShape(city, "id:number name:string countryCode:string countryName:string region:string adminArea:string? population:number? " +
                "prioritySdgs:array partnershipCount:number isArchived:boolean");
        }

        var names = items.Select(i => i.GetProperty("name").GetString()).ToList();
        Assert.Equal(names.Order(StringComparer.Create(CultureInfo.InvariantCulture, CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace)), names);
    }

    [Fact]
    public async Task Cities_filter_and_sort_as_the_page_does()
    {
        using var client = api.Client(DemoUser.Facilitator);

        var bolivia = await GetJsonAsync(client, "/api/v1/cities?country=bo&region=LatinAmericaAndCaribbean&sort=-population&pageSize=100");
        var items = bolivia.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(items, i => i.GetProperty("name").GetString() == "Tarija");
        Assert.All(items, i => Assert.Equal("BO", i.GetProperty("countryCode").GetString()));
        var populations = items.Select(i => i.GetProperty("population")).Where(p => p.ValueKind == JsonValueKind.Number).Select(p => p.GetInt32()).ToList();
        Assert.Equal(populations.OrderDescending(), populations);

        var search = await GetJsonAsync(client, "/api/v1/cities?search=tarij");
        Assert.Contains(search.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt32() == Ids.Tarija);
    }

    [Fact]
    public async Task City_detail_keeps_its_field_names_and_shows_contacts_only_to_those_who_may_edit()
    {
        using var facilitator = api.Client(DemoUser.Facilitator);
        using var coordinator = api.Client(DemoUser.Coordinator);

        var city = await GetJsonAsync(facilitator, $"/api/v1/cities/{Ids.Tarija}");

        AssertShape(city, "id:number name:string countryCode:string countryName:string region:string adminArea:string? kind:string population:number? " +
            "latitude:number longitude:number languages:array profile:string prioritySdgs:array themes:array contacts:array partnerships:array " +
            "recentExchanges:array isArchived:boolean version:number canEdit:boolean hasHistory:boolean");
        Assert.Equal("Tarija", city.GetProperty("name").GetString());
        Assert.False(city.GetProperty("canEdit").GetBoolean());
        Assert.Empty(city.GetProperty("contacts").EnumerateArray());
        var partnership = city.GetProperty("partnerships").EnumerateArray().First();
        AssertShape(partnership, "id:number name:string status:string role:string partners:array");

        var asCoordinator = await GetJsonAsync(coordinator, $"/api/v1/cities/{Ids.Tarija}");
        Assert.True(asCoordinator.GetProperty("canEdit").GetBoolean());
    }

    [Fact]
    public async Task Programmes_list_and_detail_keep_their_field_names()
    {
        using var client = api.Client(DemoUser.Coordinator);

        var list = await GetJsonAsync(client, "/api/v1/programmes?pageSize=2");
        AssertShape(list, Paged);
        Assert.Equal(2, list.GetProperty("items").GetArrayLength());
        AssertShape(list.GetProperty("items")[0], "id:number name:string shortName:string funder:string startsOn:string endsOn:string? partnershipCount:number");

        var programme = await GetJsonAsync(client, $"/api/v1/programmes/{Ids.Vvsg}");
        AssertShape(programme, "id:number name:string shortName:string funder:string startsOn:string endsOn:string? description:string modalities:array " +
            "eligibility:array website:string? partnerships:array memberCities:array exchangesPerYear:array version:number worksWith:array");
        Assert.Equal("VVSG C2C", programme.GetProperty("shortName").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", programme.GetProperty("startsOn").GetString());
    }

    [Fact]
    public async Task Partnerships_filter_by_status_programme_and_city_and_keep_their_field_names()
    {
        using var client = api.Client(DemoUser.Officer);

        var active = await GetJsonAsync(client, "/api/v1/partnerships?status=Active");
        AssertShape(active, Paged);
        Assert.NotEmpty(active.GetProperty("items").EnumerateArray());
        foreach (var item in active.GetProperty("items").EnumerateArray())
        {
            AssertShape(item, "id:number name:string modality:string status:string startedOn:string? members:array programmes:array exchangeCount:number lastExchangeOn:string? isArchived:boolean");
            Assert.Equal("Active", item.GetProperty("status").GetString());
        }

        var ofTarija = await GetJsonAsync(client, $"/api/v1/partnerships?city={Ids.Tarija}&programme={Ids.Vvsg}&status=active");
        Assert.Contains(ofTarija.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt32() == Ids.BrasschaatTarija);
        Assert.All(ofTarija.GetProperty("items").EnumerateArray(), i => Assert.Contains("Tarija", i.GetProperty("members").EnumerateArray().Select(m => m.GetString())));

        var detail = await GetJsonAsync(client, $"/api/v1/partnerships/{Ids.BrasschaatTarija}");
        AssertShape(detail, "id:number name:string modality:string status:string startedOn:string? endedOn:string? discontinuationReason:string? " +
            "description:string exitStrategy:string isArchived:boolean version:number members:array programmes:array themes:array sdgs:array " +
            "agreements:array history:array exchanges:array allowedNext:array");
        AssertShape(detail.GetProperty("members")[0], "cityId:number cityName:string countryCode:string region:string role:string expectations:string contributions:string");
    }

    [Fact]
    public async Task Exchanges_of_a_partnership_page_and_one_exchange_keeps_its_field_names()
    {
        using var client = api.Client(DemoUser.Facilitator);

        var list = await GetJsonAsync(client, $"/api/v1/partnerships/{Ids.BrasschaatTarija}/exchanges?pageSize=1");
        AssertShape(list, Paged);
        Assert.True(list.GetProperty("totalCount").GetInt32() >= 1);
        Assert.Equal(list.GetProperty("totalCount").GetInt32(), list.GetProperty("totalPages").GetInt32());
        AssertShape(list.GetProperty("items")[0], "id:number partnershipId:number partnershipName:string kind:string title:string startsOn:string endsOn:string " +
            "hostCity:string? isOnline:boolean participants:number");

        var exchange = await GetJsonAsync(client, $"/api/v1/exchanges/{Ids.TarijaExchange}");
        AssertShape(exchange, "id:number partnershipId:number kind:string title:string startsOn:string endsOn:string isOnline:boolean hostCityId:number? " +
            "participants:array interpretationLanguages:array themeIds:array sdgs:array outcomes:string followUps:string documents:array version:number");
        Assert.Equal(Ids.BrasschaatTarija, exchange.GetProperty("partnershipId").GetInt32());
    }

    [Fact]
    public async Task Matches_answer_a_bearer_token_by_the_same_rules_as_the_page()
    {
        using var facilitator = api.Client(DemoUser.Facilitator);
        using var coordinator = api.Client(DemoUser.Coordinator);

        var matches = await GetJsonAsync(facilitator, $"/api/v1/cities/{Ids.Herent}/matches?limit=5");
        AssertShape(matches, "cityId:number cityName:string programmeId:number? weights:object suggestions:array");
        using var refused = await coordinator.GetAsync(new Uri($"/api/v1/cities/{Ids.Herent}/matches", UriKind.Relative));
        await AssertProblemAsync(refused, HttpStatusCode.Forbidden, "not allowed");
    }

    [Theory]
    [InlineData("/api/v1/cities/2147483647", "City not found")]
    [InlineData("/api/v1/programmes/2147483647", "Programme not found")]
    [InlineData("/api/v1/partnerships/2147483647", "Partnership not found")]
    [InlineData("/api/v1/partnerships/2147483647/exchanges", "Partnership not found")]
    [InlineData("/api/v1/exchanges/2147483647", "Exchange not found")]
    [InlineData("/api/v1/no-such-resource", "Not Found")]
    public async Task Missing_records_are_404_problems(string path, string mentions)
    {
        using var client = api.Client(DemoUser.Administrator);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        await AssertProblemAsync(response, HttpStatusCode.NotFound, mentions);
    }

    [Theory]
    [InlineData("/api/v1/cities?page=0", "page")]
    [InlineData("/api/v1/cities?pageSize=101", "pageSize")]
    [InlineData("/api/v1/cities?pageSize=-5", "pageSize")]
    [InlineData("/api/v1/cities?page=abc", "page")]
    [InlineData("/api/v1/cities?page=99999999999", "page")]
    [InlineData("/api/v1/cities?region=Atlantis", "Europe")]
    [InlineData("/api/v1/cities?region=1", "region")]
    [InlineData("/api/v1/cities?sdg=18", "sdg")]
    [InlineData("/api/v1/cities?country=XX", "country")]
    [InlineData("/api/v1/cities?sort=shoe-size", "population")]
    [InlineData("/api/v1/cities?includeArchived=maybe", "includeArchived")]
    [InlineData("/api/v1/programmes?pageSize=0", "pageSize")]
    [InlineData("/api/v1/partnerships?status=Sleeping", "Active")]
    [InlineData("/api/v1/partnerships?modality=Telepathy", "modality")]
    [InlineData("/api/v1/partnerships?programme=-1", "programme")]
    [InlineData("/api/v1/partnerships?city=x", "city")]
    [InlineData("/api/v1/partnerships/1/exchanges?page=0", "page")]
    public async Task Bad_paging_and_filter_values_are_400_problems_that_say_what_is_allowed(string path, string mentions)
    {
        using var client = api.Client(DemoUser.Officer);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, mentions);
    }

    [Fact]
    public async Task Without_a_valid_token_the_api_answers_401_never_a_sign_in_page()
    {
        using var anonymous = api.Client(DemoUser.Anonymous);
        using var none = await anonymous.GetAsync(new Uri("/api/v1/cities", UriKind.Relative));
        await AssertProblemAsync(none, HttpStatusCode.Unauthorized, "Bearer");

        using var unknown = api.App.BearerClient("cpt_not-a-token-anyone-was-given");
        using var bad = await unknown.GetAsync(new Uri("/api/v1/cities", UriKind.Relative));
        await AssertProblemAsync(bad, HttpStatusCode.Unauthorized, "not valid");
        Assert.Contains("invalid_token", bad.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var revoked = await api.App.CreateApiTokenAsync(DemoUser.Facilitator, "to be revoked");
        using var revokedClient = api.App.BearerClient(revoked.Secret);
        using (var before = await revokedClient.GetAsync(new Uri("/api/v1/cities", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await api.App.RevokeApiTokenAsync(DemoUser.Facilitator, revoked.Token.Id);
        using var after = await revokedClient.GetAsync(new Uri("/api/v1/cities", UriKind.Relative));
        await AssertProblemAsync(after, HttpStatusCode.Unauthorized, "revoked");

        var expiring = await api.App.CreateApiTokenAsync(DemoUser.Facilitator, "to expire");
        await using (var db = database.CreateDbContext())
        {
            await db.ApiTokens.Where(t => t.Id == expiring.Token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }

        using var expiredClient = api.App.BearerClient(expiring.Secret);
        using var expired = await expiredClient.GetAsync(new Uri("/api/v1/cities", UriKind.Relative));
        await AssertProblemAsync(expired, HttpStatusCode.Unauthorized, "expired");
    }

    [Fact]
    public async Task Using_a_token_records_when_it_was_last_used()
    {
        var token = await api.App.CreateApiTokenAsync(DemoUser.Officer, "last used");
        using var client = api.App.BearerClient(token.Secret);
        using var response = await client.GetAsync(new Uri("/api/v1/programmes", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await using var db = database.CreateDbContext();
        var stored = await db.ApiTokens.SingleAsync(t => t.Id == token.Token.Id);
        Assert.NotNull(stored.LastUsedAt);
        Assert.Equal(ApiTokenService.HashOf(token.Secret), stored.Hash);
        Assert.DoesNotContain(await db.ApiTokens.Select(t => t.Prefix).ToListAsync(), p => p.Length >= token.Secret.Length);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.EntityType == "ApiToken" && e.EntityId == token.Token.Id));
    }

    [Fact]
    public async Task The_openapi_document_lists_every_api_v1_path_and_the_bearer_scheme()
    {
        using var anonymous = api.Client(DemoUser.Anonymous);
        var document = await GetJsonAsync(anonymous, "/api/v1/openapi.json");

        var documented = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var routes = api.App.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/'))
            .Where(p => p.StartsWith("/api/v1/", StringComparison.Ordinal) && !p.EndsWith("openapi.json", StringComparison.Ordinal))
            .Select(p => p.Replace(":int", "", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(routes);
        Assert.Empty(routes.Except(documented));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task The_reference_page_serves_its_script_from_the_app_itself()
    {
        using var anonymous = api.Client(DemoUser.Anonymous);
        var html = await anonymous.GetStringAsync(new Uri("/api/reference", UriKind.Relative));

        var sources = System.Text.RegularExpressions.Regex.Matches(html, "src=\"(?<src>[^\"]+)\"").Select(m => m.Groups["src"].Value).ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.False(Uri.TryCreate(s, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal), s));
        foreach (var source in sources)
        {
            using var script = await anonymous.GetAsync(new Uri(new Uri(api.App.BaseAddress, "/api/reference/"), source));
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        }
    }

    [Fact]
    public async Task A_coordinator_logs_an_exchange_in_their_city_s_partnership_and_reads_it_back()
    {
        using var client = api.Client(DemoUser.Coordinator);
        var body = new
        {
            kind = "StudyVisit", title = "API study visit on water", startsOn = "2025-03-10", endsOn = "2025-03-12", isOnline = true,
            participants = new[] { new { actorType = "LocalOrNationalAuthority", role = "Technical", count = 4 } },
            interpretationLanguages = new[] { "es" }, sdgs = new[] { 6, 11 }, outcomes = "Shared a leak-detection method.",
        };

        using var created = await client.PostAsJsonAsync(new Uri($"/api/v1/partnerships/{Ids.BrasschaatTarija}/exchanges", UriKind.Relative), body);

        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var exchange = await ApiApp.JsonAsync(created);
        Assert.Equal("API study visit on water", exchange.GetProperty("title").GetString());
        Assert.Equal(4, exchange.GetProperty("participants")[0].GetProperty("count").GetInt32());
        var read = await GetJsonAsync(client, created.Headers.Location!.OriginalString);
        Assert.Equal(exchange.GetProperty("id").GetInt32(), read.GetProperty("id").GetInt32());

        using var elsewhere = await client.PostAsJsonAsync(new Uri($"/api/v1/partnerships/{Ids.HerentNimlahakok}/exchanges", UriKind.Relative), body);
        await AssertProblemAsync(elsewhere, HttpStatusCode.Forbidden, "not allowed");
    }

    [Fact]
    public async Task Proposing_a_partnership_goes_through_the_form_s_writer_and_its_rules()
    {
        int iuc;
        await using (var db = api.Database.CreateDbContext())
        {
            iuc = await db.Programmes.Where(p => p.ShortName == "IUC").Select(p => p.Id).SingleAsync();
        }

        object Body(string name, int programme, params int[] members) => new
        {
            name, modality = "Pairing", members = members.Select(id => new { cityId = id }).ToArray(), programmeIds = new[] { programme },
        };
        var path = new Uri("/api/v1/partnerships", UriKind.Relative);
        using var officer = api.Client(DemoUser.Officer);

        using var created = await officer.PostAsJsonAsync(path, Body("API Herent - Tarija", Ids.Vvsg, Ids.Herent, Ids.Tarija));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        Assert.Equal("Proposed", (await ApiApp.JsonAsync(created)).GetProperty("status").GetString());

        using var otherProgramme = await officer.PostAsJsonAsync(path, Body("API Herent - Surat", iuc, Ids.Herent, Ids.Surat));
        await AssertProblemAsync(otherProgramme, HttpStatusCode.Forbidden, "only in a programme you run");

        using var alone = await officer.PostAsJsonAsync(path, Body("API Herent alone", Ids.Vvsg, Ids.Herent));
        await AssertProblemAsync(alone, HttpStatusCode.BadRequest, "at least two member cities");

        using var coordinator = api.Client(DemoUser.Coordinator);
        using var byCoordinator = await coordinator.PostAsJsonAsync(path, Body("API Tarija - Herent", Ids.Vvsg, Ids.Herent, Ids.Tarija));
        Assert.Equal(HttpStatusCode.Forbidden, byCoordinator.StatusCode);
    }

    [Fact]
    public async Task Logging_an_invalid_exchange_answers_the_form_s_own_messages()
    {
        using var client = api.Client(DemoUser.Officer);
        var path = new Uri($"/api/v1/partnerships/{Ids.HerentNimlahakok}/exchanges", UriKind.Relative);

        using var invalid = await client.PostAsJsonAsync(path, new { kind = "Workshop", title = "", startsOn = "2025-03-10", endsOn = "2025-03-01", isOnline = true });
        await AssertProblemAsync(invalid, HttpStatusCode.BadRequest, "Give the exchange a title.");
        Assert.Contains("The end date cannot be before the start date.", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var noKind = await client.PostAsJsonAsync(path, new { title = "No kind", startsOn = "2025-03-10", endsOn = "2025-03-10", isOnline = true });
        await AssertProblemAsync(noKind, HttpStatusCode.BadRequest, "StudyVisit");

        using var content = new StringContent("{\"title\": 5", System.Text.Encoding.UTF8, "application/json");
        using var malformed = await client.PostAsync(path, content);
        await AssertProblemAsync(malformed, HttpStatusCode.BadRequest, "JSON");
    }

    [Fact]
    public async Task An_officer_replaces_a_city_profile_and_a_stale_version_is_a_409()
    {
        using var officer = api.Client(DemoUser.Officer);
        var city = await GetJsonAsync(officer, $"/api/v1/cities/{Ids.Herent}");
        object Request(string profile, uint version) => new
        {
            name = city.GetProperty("name").GetString(), countryCode = city.GetProperty("countryCode").GetString(),
            region = city.GetProperty("region").GetString(), adminArea = city.GetProperty("adminArea").GetString(),
            kind = city.GetProperty("kind").GetString(), population = city.GetProperty("population").GetInt32(),
            latitude = city.GetProperty("latitude").GetDouble(), longitude = city.GetProperty("longitude").GetDouble(),
            languages = city.GetProperty("languages").EnumerateArray().Select(l => l.GetString()).ToArray(), profile,
            prioritySdgs = city.GetProperty("prioritySdgs").EnumerateArray().Select(s => s.GetInt32()).ToArray(),
            themes = city.GetProperty("themes").EnumerateArray().Select(t => new { themeId = t.GetProperty("themeId").GetInt32(), interest = t.GetProperty("interest").GetString() }).ToArray(),
            version,
        };
        var version = city.GetProperty("version").GetUInt32();
        var path = new Uri($"/api/v1/cities/{Ids.Herent}", UriKind.Relative);

        using var saved = await officer.PutAsJsonAsync(path, Request("Herent, by the API.", version));
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var after = await ApiApp.JsonAsync(saved);
        Assert.Equal("Herent, by the API.", after.GetProperty("profile").GetString());
        Assert.NotEqual(version, after.GetProperty("version").GetUInt32());
        Assert.Equal(city.GetProperty("themes").GetArrayLength(), after.GetProperty("themes").GetArrayLength());

        using var stale = await officer.PutAsJsonAsync(path, Request("An older edit.", version));
        await AssertProblemAsync(stale, HttpStatusCode.Conflict, "Someone else changed this record");

        using var invalid = await officer.PutAsJsonAsync(path, Request("<script>alert(1)</script>", after.GetProperty("version").GetUInt32()));
        await AssertProblemAsync(invalid, HttpStatusCode.BadRequest, "plain text");

        using var facilitator = api.Client(DemoUser.Facilitator);
        using var refused = await facilitator.PutAsJsonAsync(path, Request("Not mine.", after.GetProperty("version").GetUInt32()));
        await AssertProblemAsync(refused, HttpStatusCode.Forbidden, "not allowed");
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string mentions)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mentions, body, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await ApiApp.JsonAsync(response);
    }

    /// <summary>"name:string adminArea:string? ...": exactly these properties, each of this JSON type (? allows null).</summary>
    internal static void AssertShape(JsonElement element, string shape)
    {
        var expected = shape.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Split(':')).ToDictionary(s => s[0], s => s[1]);
        var actual = element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, type) in expected)
        {
            var kind = actual[name];
            var nullable = type.EndsWith('?');
            var wanted = type.TrimEnd('?') switch
            {
                "string" => JsonValueKind.String,
                "number" => JsonValueKind.Number,
                "array" => JsonValueKind.Array,
                "object" => JsonValueKind.Object,
                "boolean" => kind == JsonValueKind.False ? JsonValueKind.False : JsonValueKind.True,
                _ => throw new ArgumentException($"Unknown type {type}", nameof(shape)),
            };
            Assert.True(kind == wanted || (nullable && kind == JsonValueKind.Null), $"{name}: expected {type}, got {kind}");
        }
    }
}
