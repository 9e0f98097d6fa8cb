using System.Net;
using System.Security.Claims;
using CityPairs.Domain.Cities;
using CityPairs.Domain.Partnerships;
using CityPairs.IntegrationTests.Api;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Audit;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Export;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests.Accounts;

/// <summary>
/// Contacts are private wherever they leave the server (the workbook, the API, the history; the PDF summary has its
/// own tests): a facilitator, a coordinator of another city and an officer whose programmes do not work with the city
/// never read a contact's name or e-mail; whoever may edit the city does.
/// </summary>
public sealed class ContactPrivacyTests(PostgresDatabase database) : DatabaseTest(database)
{
    private const string HerentContact = "Wout Private";
    private const string HerentEmail = "wout.private@example.org";
    private const string TarijaContact = "Mariela Vaca";
    private const string TarijaEmail = "mariela.vaca@example.org";

    /// <summary>A contact in Herent and one in Tarija; no programme works with Herent until a test says so.</summary>
    private async Task<DemoIds> ContactsAsync()
    {
        var demo = await DemoIds.LoadAsync(Database);
        await using var db = Database.CreateDbContext();
        db.CityContacts.AddRange(
            new CityContact { CityId = demo.Herent, Name = HerentContact, Role = "Twinning desk", Email = HerentEmail, ActiveFrom = new DateOnly(2022, 1, 1) },
            new CityContact { CityId = demo.Tarija, Name = TarijaContact, Role = "Twinning desk", Email = TarijaEmail, ActiveFrom = new DateOnly(2021, 1, 1) });
        await db.SaveChangesAsync();
        await db.ProgrammeCities.Where(pc => pc.CityId == demo.Herent).ExecuteDeleteAsync();
        // The demo proposal Herent - Tarija, which Herent accepted, rightly shows Herent's contacts to the facilitator who
        // proposed it (decision 0005): here Herent has consented to nothing.
        await db.Invitations.Where(i => i.CityId == demo.Herent).ExecuteUpdateAsync(i => i
            .SetProperty(x => x.Status, InvitationStatus.Pending).SetProperty(x => x.AnsweredAt, (DateTimeOffset?)null)
            .SetProperty(x => x.AnsweredByUserId, (string?)null).SetProperty(x => x.AnsweredByName, (string?)null));
        return demo;
    }

    private async Task GiveReachAsync(int programmeId, int cityId)
    {
        await using var db = Database.CreateDbContext();
        db.ProgrammeCities.Add(new ProgrammeCity { ProgrammeId = programmeId, CityId = cityId });
        await db.SaveChangesAsync();
    }

    /// <summary>Every cell of every sheet of the workbook as this user downloads it, written and read back as a file.</summary>
    private async Task<string> WorkbookCellsAsync(ClaimsPrincipal user)
    {
        using var file = new MemoryStream();
        await Service<PortfolioWorkbook>(user).WriteAsync(file);
        file.Position = 0;
        return string.Join('\n', PortfolioWorkbook.Read(file).Values.SelectMany(t => t.Rows).Select(r => string.Join('\t', r)));
    }

    [Fact]
    public async Task An_officers_portfolio_workbook_holds_the_contacts_of_the_cities_their_programmes_work_with_and_no_others()
    {
        await using (var db = Database.CreateDbContext())
        {
            await DemoData.SeedAsync(db);
        }

        var demo = await ContactsAsync();
        var officer = await Database.AddUserAsync(Roles.ProgrammeOfficer, programmeIds: [demo.Vvsg]);
        var administrator = TestUsers.Principal("contacts-admin", "contacts-admin@test.local", Roles.Administrator, mfa: true);

        var before = await WorkbookCellsAsync(officer);
        Assert.DoesNotContain(HerentContact, before, StringComparison.Ordinal);
        Assert.DoesNotContain(HerentEmail, before, StringComparison.Ordinal);
        Assert.Contains("Herent", before, StringComparison.Ordinal); // the city itself is not private
        // The endpoint refuses them; the workbook would hold no contact for them either.
        foreach (var other in new[] { await Database.AddUserAsync(Roles.Facilitator), await Database.AddUserAsync(Roles.CityCoordinator, cityIds: [demo.Tarija]) })
        {
            var cells = await WorkbookCellsAsync(other);
            Assert.DoesNotContain(HerentEmail, cells, StringComparison.Ordinal);
            Assert.DoesNotContain(HerentContact, cells, StringComparison.Ordinal);
        }

        await GiveReachAsync(demo.Vvsg, demo.Herent);
        var after = await WorkbookCellsAsync(officer);
        Assert.Contains(HerentContact, after, StringComparison.Ordinal);
        Assert.Contains(HerentEmail, after, StringComparison.Ordinal);

        var all = await WorkbookCellsAsync(administrator);
        Assert.Contains(HerentEmail, all, StringComparison.Ordinal);
        Assert.Contains(TarijaEmail, all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_and_the_exports_give_a_citys_contacts_only_to_those_who_may_edit_it()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        app.Start(); // loads the demo data and its accounts
        var tokens = new Dictionary<DemoUser, string>();
        foreach (var user in new[] { DemoUser.Coordinator, DemoUser.Facilitator, DemoUser.Officer, DemoUser.Administrator })
        {
            tokens[user] = (await app.CreateApiTokenAsync(user, $"contacts ({user})")).Secret;
        }

        var demo = await ContactsAsync();

        async Task<string> ReadAsync(DemoUser user, string path)
        {
            using var client = app.BearerClient(tokens[user]);
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        var herent = $"/api/v1/cities/{demo.Herent}";
        foreach (var user in new[] { DemoUser.Coordinator, DemoUser.Facilitator, DemoUser.Officer })
        {
            var json = await ReadAsync(user, herent);
            Assert.Contains("Herent", json, StringComparison.Ordinal);
            Assert.DoesNotContain(HerentEmail, json, StringComparison.Ordinal);
            Assert.DoesNotContain(HerentContact, json, StringComparison.Ordinal);
        }

        Assert.Contains(HerentEmail, await ReadAsync(DemoUser.Administrator, herent), StringComparison.Ordinal);
        Assert.Contains(TarijaEmail, await ReadAsync(DemoUser.Coordinator, $"/api/v1/cities/{demo.Tarija}"), StringComparison.Ordinal);

        // The officer reads Herent's contacts once one of their programmes works with it.
        await using (var db = Database.CreateDbContext())
        {
            var officerId = await db.Users.Where(u => u.Email == DemoUser.Officer.Email()).Select(u => u.Id).SingleAsync();
            await GiveReachAsync(await db.ProgrammeAssignments.Where(a => a.UserId == officerId).Select(a => a.ProgrammeId).FirstAsync(), demo.Herent);
        }

        Assert.Contains(HerentEmail, await ReadAsync(DemoUser.Officer, herent), StringComparison.Ordinal);

        // No list, partnership, exchange or CSV/XLSX export embeds contacts, even for an administrator who may see them all.
        foreach (var path in new[] { "/api/v1/cities?search=Herent", $"/api/v1/partnerships/{demo.HerentNimlahakok}", $"/api/v1/exchanges/{demo.TarijaExchange}" })
        {
            var body = await ReadAsync(DemoUser.Administrator, path);
            Assert.DoesNotContain(HerentEmail, body, StringComparison.Ordinal);
            Assert.DoesNotContain(TarijaEmail, body, StringComparison.Ordinal);
        }

        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = app.BaseAddress };
        await browser.SignInAsync(DemoUser.Administrator);
        foreach (var path in new[] { "/export/cities.csv?search=Herent", "/export/partnerships.csv", "/export/cities.xlsx?search=Herent" })
        {
            using var response = await browser.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var text = path.Contains(".xlsx", StringComparison.Ordinal)
                ? string.Join('\n', Table.ReadXlsx(new MemoryStream(bytes), "cities").Rows.Select(r => string.Join('\t', r)))
                : System.Text.Encoding.UTF8.GetString(bytes);
            Assert.Contains("Herent", text, StringComparison.Ordinal);
            Assert.DoesNotContain(HerentEmail, text, StringComparison.Ordinal);
            Assert.DoesNotContain(TarijaEmail, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_citys_history_withholds_its_contact_changes_from_those_who_may_not_edit_it()
    {
        await using (var db = Database.CreateDbContext())
        {
            await DemoData.SeedAsync(db);
        }

        var demo = await DemoIds.LoadAsync(Database);
        var administrator = TestUsers.Principal("history-admin", "history-admin@test.local", Roles.Administrator, mfa: true);
        var cities = Service<CityService>(administrator);
        var id = (await cities.CreateAsync(new CityForm
        {
            Name = "Zz Private Town", CountryCode = "PT", Region = Domain.Common.Region.Europe, Latitude = 38.5, Longitude = -9.1,
            Profile = "A town with a private contact.", PrioritySdgs = [11],
            Contacts = [new CityContactForm { Name = "Ana Costa", Role = "Coordinator", Email = "ana@example.org", ActiveFrom = "2024-01-15" }],
        })).Value;
        var form = (await cities.GetFormAsync(id))!;
        form.Profile = "A town whose profile changed.";
        form.Contacts[0].Email = "ana.costa@example.org";
        Assert.True((await cities.UpdateAsync(form)).Succeeded);

        async Task<string> HistoryAsync(ClaimsPrincipal user)
        {
            var page = await Service<AuditService>(user).HistoryAsync("City", id);
            return string.Join('\n', page.Items.SelectMany(i => i.Changes).Select(c => $"{c.Property}: {c.Old} -> {c.New} {(c.Withheld ? "[withheld]" : "")}"));
        }

        var officer = await Database.AddUserAsync(Roles.ProgrammeOfficer, programmeIds: [demo.Vvsg]);
        var readers = new[]
        {
            await Database.AddUserAsync(Roles.Facilitator), await Database.AddUserAsync(Roles.CityCoordinator, cityIds: [demo.Tarija]), officer,
        };
        foreach (var reader in readers)
        {
            var history = await HistoryAsync(reader);
            Assert.Contains("A town whose profile changed.", history, StringComparison.Ordinal); // the rest of the history stays readable
            Assert.Contains("[withheld]", history, StringComparison.Ordinal);
            Assert.DoesNotContain("Ana Costa", history, StringComparison.Ordinal);
            Assert.DoesNotContain("ana@example.org", history, StringComparison.Ordinal);
            Assert.DoesNotContain("ana.costa@example.org", history, StringComparison.Ordinal);
        }

        await GiveReachAsync(demo.Vvsg, id);
        var coordinator = await Database.AddUserAsync(Roles.CityCoordinator, cityIds: [id]);
        foreach (var editor in new[] { officer, coordinator, administrator })
        {
            var history = await HistoryAsync(editor);
            Assert.Contains("Ana Costa", history, StringComparison.Ordinal);
            Assert.Contains("ana@example.org", history, StringComparison.Ordinal);
            Assert.Contains("ana.costa@example.org", history, StringComparison.Ordinal);
            Assert.DoesNotContain("[withheld]", history, StringComparison.Ordinal);
        }
    }
}
