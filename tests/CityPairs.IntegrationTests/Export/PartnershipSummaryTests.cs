using System.Globalization;
using System.Net;
using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Domain.Exchanges;
using CityPairs.Domain.Partnerships;
using CityPairs.TestSupport;
using CityPairs.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace CityPairs.IntegrationTests.Export;

public sealed class PartnershipSummaryTests(PostgresDatabase database) : DatabaseTest(database)
{
    private const string SaoPauloContact = "Iara Conceição";
    private const string SaoPauloEmail = "iara@example.org";
    private const string TarijaContact = "Mariela Vaca";
    private const string TarijaEmail = "mariela.vaca@example.org";

    /// <summary>São Paulo (with a contact) leads, Kraków joins; with <paramref name="tarija"/>, the demo coordinator's Tarija joins too, with a contact.</summary>
    private async Task<int> PartnershipAsync(string name, int exchanges, bool tarija = false)
    {
        await using var db = Database.CreateDbContext();
        var saoPaulo = new City { Name = "São Paulo", CountryCode = "BR", Region = Region.LatinAmericaAndCaribbean, Latitude = -23.55, Longitude = -46.63 };
        var krakow = new City { Name = "Kraków", CountryCode = "PL", Region = Region.Europe, Latitude = 50.06, Longitude = 19.94 };
        saoPaulo.Contacts.Add(new CityContact { Name = SaoPauloContact, Role = "International relations", Email = SaoPauloEmail, ActiveFrom = new DateOnly(2020, 1, 1) });
        db.Cities.AddRange(saoPaulo, krakow);
        await db.SaveChangesAsync();
        var tarijaCity = tarija ? await db.Cities.Include(c => c.Contacts).SingleAsync(c => c.Name == "Tarija" && c.CountryCode == "BO") : null;
        tarijaCity?.Contacts.Add(new CityContact { Name = TarijaContact, Role = "Twinning desk", Email = TarijaEmail, ActiveFrom = new DateOnly(2021, 1, 1) });

        var partnership = new Partnership { Name = name, Description = "Urban mobility and waste.", ExitStrategy = "The cities fund the exchanges themselves from 2027." };
        partnership.Propose(new DateOnly(2022, 3, 1));
        partnership.Agree(new DateOnly(2022, 6, 1), new Agreement { Kind = AgreementKind.MemorandumOfUnderstanding, SignedOn = new DateOnly(2022, 6, 1), Note = "Signed in Kraków" });
        partnership.Activate(new DateOnly(2022, 9, 1));
        partnership.Members =
        [
            new PartnershipMember { CityId = saoPaulo.Id, Role = MemberRole.Lead, Expectations = "Learn how Kraków runs its tram network." },
            new PartnershipMember { CityId = krakow.Id, Role = MemberRole.Partner, Contributions = "Tram depot managers' time." },
            .. tarijaCity is null ? [] : new[] { new PartnershipMember { CityId = tarijaCity.Id, Role = MemberRole.Partner } },
        ];
        partnership.Sdgs = [11, 13];
        db.Partnerships.Add(partnership);
        await db.SaveChangesAsync();

        var start = new DateOnly(2022, 10, 1);
        for (var i = 1; i <= exchanges; i++)
        {
            var on = start.AddDays(i * 3);
            db.Exchanges.Add(new Exchange
            {
                PartnershipId = partnership.Id, Kind = ExchangeKind.Workshop, Title = $"Workshop number {i:000} on depots", StartsOn = on, EndsOn = on,
                HostCityId = i % 2 == 0 ? krakow.Id : saoPaulo.Id,
                Participants = [new ParticipantCount { ActorType = ActorType.LocalOrNationalAuthority, Role = ParticipantRole.Technical, Count = 4 }],
                Outcomes = $"Outcome {i:000}: a shared checklist for depot maintenance, written together and adopted by both cities' transport departments.",
            });
        }

        await db.SaveChangesAsync();
        return partnership.Id;
    }

    private static async Task<(HttpResponseMessage Response, byte[] Pdf)> DownloadAsync(HttpClient client, int id)
    {
        var response = await client.GetAsync(new Uri($"/partnerships/{id}/summary.pdf", UriKind.Relative));
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    private static List<string> PagesText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return [.. document.GetPages().Select(p => ContentOrderTextExtractor.GetText(p))];
    }

    [Fact]
    public async Task The_summary_names_the_members_with_accents_the_exchanges_and_their_outcomes()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        using var client = app.CreateClient(); // starts the app, which loads the demo data and its accounts
        await client.SignInAsync(DemoUser.Coordinator);
        var id = await PartnershipAsync("São Paulo - Kraków", exchanges: 2);

        var (response, pdf) = await DownloadAsync(client, id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("São Paulo - Kraków.pdf", response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4), StringComparison.Ordinal);
        var text = string.Join('\n', PagesText(pdf));
        Assert.Contains("São Paulo · Brazil (BR) · Lead", text, StringComparison.Ordinal);
        Assert.Contains("Kraków · Poland (PL) · Partner", text, StringComparison.Ordinal);
        Assert.Contains("Learn how Kraków runs its tram network.", text, StringComparison.Ordinal);
        Assert.Contains("Memorandum of understanding", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Workshop number 002 on depots", text, StringComparison.Ordinal);
        Assert.Contains("Outcome 002: a shared checklist", text, StringComparison.Ordinal);
        Assert.Contains("Proposed → Agreed", text, StringComparison.Ordinal);

        using var missing = await client.GetAsync(new Uri("/partnerships/2147483647/summary.pdf", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_long_timeline_runs_over_several_pages_and_keeps_every_exchange_in_order()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        using var client = app.CreateClient();
        await client.SignInAsync(DemoUser.Coordinator);
        var id = await PartnershipAsync("Long timeline", exchanges: 200);

        var (response, pdf) = await DownloadAsync(client, id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pages = PagesText(pdf);
        Assert.True(pages.Count >= 5, $"200 exchanges fit on {pages.Count} page(s)");
        var text = string.Join('\n', pages);
        var positions = Enumerable.Range(1, 200)
            .Select(i => text.IndexOf($"Workshop number {i.ToString("000", CultureInfo.InvariantCulture)} on depots", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions);
        Assert.All(Enumerable.Range(1, 200), i => Assert.Contains($"Outcome {i.ToString("000", CultureInfo.InvariantCulture)}:", text, StringComparison.Ordinal));
        Assert.Contains("200 exchanges with 800 participants", text, StringComparison.Ordinal);
        Assert.Contains($"{pages.Count} / {pages.Count}", pages[^1], StringComparison.Ordinal);
    }

    private static async Task<string> SummaryTextAsync(CityPairsApp app, DemoUser user, int id)
    {
        using var client = app.CreateClient();
        await client.SignInAsync(user);
        var (response, pdf) = await DownloadAsync(client, id);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return string.Join('\n', PagesText(pdf));
    }

    [Fact]
    public async Task The_coordinator_of_another_city_does_not_read_Sao_Paulos_contact_and_is_told_it_was_left_out()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        using var client = app.CreateClient();
        await client.SignInAsync(DemoUser.Coordinator);
        var id = await PartnershipAsync("São Paulo - Kraków", exchanges: 1);

        var (response, pdf) = await DownloadAsync(client, id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = string.Join('\n', PagesText(pdf));
        Assert.Contains("São Paulo · Brazil (BR) · Lead", text, StringComparison.Ordinal);
        Assert.DoesNotContain(SaoPauloContact, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SaoPauloEmail, text, StringComparison.Ordinal);
        Assert.Contains("Contacts are shown only to those who may edit the city", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_reader_finds_the_contacts_of_the_member_cities_they_may_edit_and_no_others()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        using (var starter = app.CreateClient())
        {
            await starter.SignInAsync(DemoUser.Facilitator); // loads the demo data and its accounts
        }

        var id = await PartnershipAsync("São Paulo - Kraków - Tarija", exchanges: 1, tarija: true);

        var coordinator = await SummaryTextAsync(app, DemoUser.Coordinator, id);
        Assert.Contains(TarijaContact, coordinator, StringComparison.Ordinal);
        Assert.Contains(TarijaEmail, coordinator, StringComparison.Ordinal);
        Assert.DoesNotContain(SaoPauloEmail, coordinator, StringComparison.Ordinal);

        var administrator = await SummaryTextAsync(app, DemoUser.Administrator, id);
        Assert.Contains(SaoPauloContact, administrator, StringComparison.Ordinal);
        Assert.Contains(SaoPauloEmail, administrator, StringComparison.Ordinal);
        Assert.Contains(TarijaEmail, administrator, StringComparison.Ordinal);
        Assert.DoesNotContain("Contacts are shown only to those", administrator, StringComparison.Ordinal);

        var facilitator = await SummaryTextAsync(app, DemoUser.Facilitator, id);
        Assert.DoesNotContain(SaoPauloContact, facilitator, StringComparison.Ordinal);
        Assert.DoesNotContain(SaoPauloEmail, facilitator, StringComparison.Ordinal);
        Assert.DoesNotContain(TarijaEmail, facilitator, StringComparison.Ordinal);
        Assert.Contains("Contacts are shown only to those who may edit the city", facilitator, StringComparison.Ordinal);

        // The demo officer's programmes do not work with São Paulo until an administrator says they do.
        Assert.DoesNotContain(SaoPauloEmail, await SummaryTextAsync(app, DemoUser.Officer, id), StringComparison.Ordinal);
        await using (var db = Database.CreateDbContext())
        {
            var officerId = await db.Users.Where(u => u.Email == DemoUser.Officer.Email()).Select(u => u.Id).SingleAsync();
            var programme = await db.ProgrammeAssignments.Where(a => a.UserId == officerId).Select(a => a.ProgrammeId).FirstAsync();
            var saoPaulo = await db.CityContacts.Where(c => c.Email == SaoPauloEmail).Select(c => c.CityId).SingleAsync();
            db.ProgrammeCities.Add(new ProgrammeCity { ProgrammeId = programme, CityId = saoPaulo });
            await db.SaveChangesAsync();
        }

        var officer = await SummaryTextAsync(app, DemoUser.Officer, id);
        Assert.Contains(SaoPauloContact, officer, StringComparison.Ordinal);
        Assert.Contains(SaoPauloEmail, officer, StringComparison.Ordinal);
    }
}
