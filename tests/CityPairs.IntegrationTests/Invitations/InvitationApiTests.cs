using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityPairs.Domain.Cities;
using CityPairs.Domain.Partnerships;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Partnerships;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace CityPairs.IntegrationTests.Invitations;

/// <summary>
/// The consent loop over HTTP with the demo accounts, on the demo proposal Herent - Tarija (Herent accepted, Tarija
/// pending): each wrong role is refused, bad input is a 400 with the message, a second answer a 409; and a
/// facilitator reads Tarija's contacts (API and PDF) only once Tarija accepted the proposal they made.
/// </summary>
public sealed class InvitationApiTests(PostgresDatabase database) : DatabaseTest(database)
{
    private const string TarijaContact = "oficina.relaciones@tarija.example.org";

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object? body = null) =>
        await client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body ?? new { });

    private static async Task<string> ProblemAsync(HttpResponseMessage response) => await response.Content.ReadAsStringAsync();

    [Fact]
    public async Task The_api_answers_invitations_under_the_same_rules_as_the_page()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        app.Start();
        var tokens = new Dictionary<DemoUser, string>();
        foreach (var user in new[] { DemoUser.Coordinator, DemoUser.Facilitator, DemoUser.Officer, DemoUser.Administrator })
        {
            tokens[user] = (await app.CreateApiTokenAsync(user, $"invitations ({user})")).Secret;
        }

        HttpClient Client(DemoUser user) => app.BearerClient(user == DemoUser.Anonymous ? null : tokens[user]);
        int partnership, tarija;
        await using (var db = Database.CreateDbContext())
        {
            partnership = await db.Partnerships.Where(p => p.Name == DemoProposals.Pending).Select(p => p.Id).SingleAsync();
            tarija = await db.Invitations.Where(i => i.PartnershipId == partnership && db.Cities.Any(c => c.Id == i.CityId && c.Name == "Tarija")).Select(i => i.Id).SingleAsync();
        }

        using var facilitator = Client(DemoUser.Facilitator);
        using var listed = await facilitator.GetAsync(new Uri($"/api/v1/partnerships/{partnership}/invitations", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var answers = JsonDocument.Parse(await listed.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["Accepted", "Pending"], answers.GetProperty("invitations").EnumerateArray().Select(i => i.GetProperty("status").GetString()).Order());
        Assert.Single(answers.GetProperty("questions").EnumerateArray());

        foreach (var intruder in new[] { DemoUser.Facilitator, DemoUser.Officer })
        {
            using var client = Client(intruder);
            Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, $"/api/v1/invitations/{tarija}/accept")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, $"/api/v1/invitations/{tarija}/decline", new { reason = "No." })).StatusCode);
        }

        using (var anonymous = Client(DemoUser.Anonymous))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(anonymous, $"/api/v1/invitations/{tarija}/accept")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(anonymous, $"/api/v1/partnerships/{partnership}/agree")).StatusCode);
        }

        using var coordinator = Client(DemoUser.Coordinator);
        using var noReason = await PostAsync(coordinator, $"/api/v1/invitations/{tarija}/decline", new { reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("a reason is required", await ProblemAsync(noReason), StringComparison.Ordinal);
        using var noText = await PostAsync(coordinator, $"/api/v1/invitations/{tarija}/questions", new { text = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noText.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(coordinator, $"/api/v1/invitations/{tarija}/questions", new { text = "Dry season suits us." })).StatusCode);

        using var officer = Client(DemoUser.Officer);
        using var early = await PostAsync(officer, $"/api/v1/partnerships/{partnership}/agree");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        Assert.Contains("Not every member city has accepted", await ProblemAsync(early), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(coordinator, $"/api/v1/invitations/{tarija}/accept")).StatusCode);
        using var twice = await PostAsync(coordinator, $"/api/v1/invitations/{tarija}/accept");
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("has already answered", await ProblemAsync(twice), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(facilitator, $"/api/v1/partnerships/{partnership}/agree")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(coordinator, $"/api/v1/partnerships/{partnership}/agree")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(officer, $"/api/v1/partnerships/{partnership}/agree")).StatusCode);
        await using var check = Database.CreateDbContext();
        Assert.Equal(PartnershipStatus.Agreed, await check.Partnerships.Where(p => p.Id == partnership).Select(p => p.Status).SingleAsync());
    }

    [Fact]
    public async Task A_facilitator_reads_a_citys_contacts_in_the_api_and_the_pdf_only_once_it_accepted_their_proposal()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        app.Start(); // the demo facilitator proposed Herent - Tarija; Tarija has not answered
        var facilitatorToken = (await app.CreateApiTokenAsync(DemoUser.Facilitator, "contacts")).Secret;
        var coordinatorToken = (await app.CreateApiTokenAsync(DemoUser.Coordinator, "answers")).Secret;
        int partnership, tarijaCity, tarija;
        await using (var db = Database.CreateDbContext())
        {
            partnership = await db.Partnerships.Where(p => p.Name == DemoProposals.Pending).Select(p => p.Id).SingleAsync();
            tarijaCity = await db.Cities.Where(c => c.Name == "Tarija").Select(c => c.Id).SingleAsync();
            tarija = await db.Invitations.Where(i => i.PartnershipId == partnership && i.CityId == tarijaCity).Select(i => i.Id).SingleAsync();
            db.CityContacts.Add(new CityContact { CityId = tarijaCity, Name = "Oficina de Relaciones", Email = TarijaContact, ActiveFrom = new DateOnly(2020, 1, 1) });
            await db.SaveChangesAsync();
        }

        using var facilitator = app.BearerClient(facilitatorToken);
        using var browser = app.CreateClient();
        await browser.SignInAsync(DemoUser.Facilitator);
        async Task<string> CityJsonAsync() => await facilitator.GetStringAsync(new Uri($"/api/v1/cities/{tarijaCity}", UriKind.Relative));
        async Task<string> PdfTextAsync()
        {
            var pdf = await browser.GetByteArrayAsync(new Uri($"/partnerships/{partnership}/summary.pdf", UriKind.Relative));
            using var document = PdfDocument.Open(pdf);
            return string.Join('\n', document.GetPages().Select(p => ContentOrderTextExtractor.GetText(p)));
        }

        Assert.DoesNotContain(TarijaContact, await CityJsonAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(TarijaContact, await PdfTextAsync(), StringComparison.Ordinal);

        using var coordinator = app.BearerClient(coordinatorToken);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(coordinator, $"/api/v1/invitations/{tarija}/accept")).StatusCode);

        Assert.Contains(TarijaContact, await CityJsonAsync(), StringComparison.Ordinal);
        Assert.Contains(TarijaContact, await PdfTextAsync(), StringComparison.Ordinal);
    }
}
