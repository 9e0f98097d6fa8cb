using System.Security.Claims;
using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Domain.Partnerships;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Export;
using CityPairs.Web.Features.Import;
using CityPairs.Web.Features.Matching;
using CityPairs.Web.Features.Partnerships;
using CityPairs.Web.Features.Programmes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CityPairs.IntegrationTests.Accounts;

/// <summary>
/// The attacks of issue 12 on an officer's reach: nobody can widen what they may edit with a record they can
/// write themselves. Surat works only with IUC in the demo data; the officer runs VVSG C2C.
/// </summary>
public sealed class ReachTests(PostgresDatabase database) : DatabaseTest(database)
{
    private const string SuratContactEmail = "surat.ir@example.org";

    private sealed record Demo(int Herent, int Surat, int Vvsg, int Iuc);

    private async Task<Demo> SeedAsync()
    {
        await using var db = Database.CreateDbContext();
        await DemoData.SeedAsync(db);
        var surat = await db.Cities.Include(c => c.Contacts).SingleAsync(c => c.Name == "Surat");
        surat.Contacts.Add(new CityContact { Name = "Surat international relations", Role = "Liaison", Email = SuratContactEmail, ActiveFrom = new DateOnly(2020, 1, 1) });
        await db.SaveChangesAsync();
        var cities = await db.Cities.ToDictionaryAsync(c => c.Name, c => c.Id);
        var programmes = await db.Programmes.ToDictionaryAsync(p => p.ShortName, p => p.Id);
        return new Demo(cities["Herent"], cities["Surat"], programmes["VVSG C2C"], programmes["IUC"]);
    }

    private CityService Cities(ClaimsPrincipal user) => Service<CityService>(user);

    private PartnershipService Partnerships(ClaimsPrincipal user) => Service<PartnershipService>(user);

    private static PartnershipForm HerentSurat(Demo demo, params int[] programmeIds) => new()
    {
        Name = "Herent - Surat",
        Members = [new MemberForm { CityId = demo.Herent }, new MemberForm { CityId = demo.Surat }],
        ProgrammeIds = [.. programmeIds],
    };

    /// <summary>What the officer can do to Surat: read its contacts, edit, archive, delete.</summary>
    private async Task AssertSuratIsOutOfReachAsync(ClaimsPrincipal officer, Demo demo)
    {
        var cities = Cities(officer);
        var detail = await cities.GetAsync(demo.Surat);
        Assert.NotNull(detail);
        Assert.False(detail.CanEdit);
        Assert.DoesNotContain(detail.Contacts, c => c.Email == SuratContactEmail);

        var form = (await Cities(new ClaimsPrincipal(TestUsers.Principal("a", "a", Roles.Administrator, mfa: true))).GetFormAsync(demo.Surat))!;
        form.Profile = "Rewritten by another programme's officer";
        Assert.Equal(SaveProblem.Forbidden, (await cities.UpdateAsync(form)).Problem);
        Assert.Equal(SaveProblem.Forbidden, (await cities.ArchiveAsync(demo.Surat, form.Version)).Problem);
        Assert.Equal(SaveProblem.Forbidden, (await cities.DeleteAsync(demo.Surat, form.Version)).Problem);

        await using var db = Database.CreateDbContext();
        var surat = await db.Cities.SingleAsync(c => c.Id == demo.Surat);
        Assert.False(surat.IsArchived);
        Assert.NotEqual("Rewritten by another programme's officer", surat.Profile);
    }

    [Fact]
    public async Task An_officer_who_pairs_their_city_with_another_programme_s_city_gains_no_right_over_it()
    {
        var demo = await SeedAsync();
        var officer = await Database.AddUserAsync(Roles.ProgrammeOfficer, programmeIds: [demo.Vvsg]);

        var proposed = await Partnerships(officer).CreateAsync(HerentSurat(demo, demo.Vvsg));

        // Proposing is a question to the cities, so it is allowed; it grants the proposer nothing over Surat.
        Assert.True(proposed.Succeeded, proposed.Message);
        await AssertSuratIsOutOfReachAsync(officer, demo);
    }

    [Fact]
    public async Task A_facilitator_cannot_set_up_a_pairing_that_widens_an_officer_s_reach()
    {
        var demo = await SeedAsync();
        var officer = await Database.AddUserAsync(Roles.ProgrammeOfficer, programmeIds: [demo.Vvsg]);
        var facilitator = await Database.AddUserAsync(Roles.Facilitator);

        var proposed = await Partnerships(facilitator).CreateAsync(HerentSurat(demo, demo.Vvsg));
        Assert.True(proposed.Succeeded, proposed.Message);
        // The officer cannot agree it before the cities accept (issue 14; an accepting city does join the programme,
        // decision 0004); and when an administrator records an agreement reached elsewhere, the officer gains nothing.
        var detail = (await Partnerships(officer).GetAsync(proposed.Value))!;
        var refused = await Partnerships(officer).ChangeStatusAsync(proposed.Value, new StatusChangeRequest(PartnershipStatus.Agreed, DateOnly.FromDateTime(DateTime.Today), detail.Version));
        Assert.Equal(PartnershipService.NotAllAcceptedMessage, refused.Message);
        var administrator = TestUsers.Principal("reach-admin", "reach-admin@test.local", Roles.Administrator, mfa: true);
        var agreed = await Partnerships(administrator).ChangeStatusAsync(proposed.Value, new StatusChangeRequest(PartnershipStatus.Agreed, DateOnly.FromDateTime(DateTime.Today), detail.Version));
        Assert.True(agreed.Succeeded, agreed.Message);

        await AssertSuratIsOutOfReachAsync(officer, demo);
    }

    [Fact]
    public async Task A_city_no_programme_claims_is_not_open_to_every_officer()
    {
        var demo = await SeedAsync();
        var registered = await Cities(new ClaimsPrincipal(TestUsers.Principal("a", "a", Roles.Administrator, mfa: true))).CreateAsync(new CityForm
        {
            Name = "Tsumeb", CountryCode = "NA", Region = Region.Africa, Latitude = -19.25, Longitude = 17.71,
        });
        Assert.True(registered.Succeeded, registered.Message);
        var officer = await Database.AddUserAsync(Roles.ProgrammeOfficer, programmeIds: [demo.Vvsg]);

        var form = (await Cities(officer).GetFormAsync(registered.Value))!;
        form.Profile = "Claimed by the first officer to come by";

        Assert.Equal(SaveProblem.Forbidden, (await Cities(officer).UpdateAsync(form)).Problem);
        Assert.False((await Cities(officer).GetAsync(registered.Value))!.CanEdit);
    }

    [Fact]
    public async Task A_partnership_in_no_programme_with_a_city_outside_the_officer_s_reach_is_not_theirs_to_move()
    {
        var demo = await SeedAsync();
        var facilitator = await Database.AddUserAsync(Roles.Facilitator);
        var officer = await Database.AddUserAsync(Roles.ProgrammeOfficer, programmeIds: [demo.Vvsg]);
        var proposed = await Partnerships(facilitator).CreateAsync(HerentSurat(demo));
        Assert.True(proposed.Succeeded, proposed.Message);
        var version = (await Partnerships(officer).GetAsync(proposed.Value))!.Version;

        var agreed = await Partnerships(officer).ChangeStatusAsync(proposed.Value, new StatusChangeRequest(PartnershipStatus.Agreed, DateOnly.FromDateTime(DateTime.Today), version));
        var archived = await Partnerships(officer).SetArchivedAsync(proposed.Value, true, version);

        Assert.Equal(SaveProblem.Forbidden, agreed.Problem);
        Assert.Equal(SaveProblem.Forbidden, archived.Problem);
        Assert.Equal(PartnershipStatus.Proposed, (await Partnerships(officer).GetAsync(proposed.Value))!.Status);

        // Their own proposal in no programme is theirs to take on, and still gives them nothing over Surat.
        var own = await Partnerships(officer).CreateAsync(HerentSurat(demo));
        Assert.True(own.Succeeded, own.Message);
        var ownVersion = (await Partnerships(officer).GetAsync(own.Value))!.Version;
        var ownArchived = await Partnerships(officer).SetArchivedAsync(own.Value, true, ownVersion);
        Assert.True(ownArchived.Succeeded, ownArchived.Message);
        // Agreeing it waits for the cities (not a refusal of the officer's right to move it).
        var ownAgreed = await Partnerships(officer).ChangeStatusAsync(own.Value, new StatusChangeRequest(
            PartnershipStatus.Agreed, DateOnly.FromDateTime(DateTime.Today), (await Partnerships(officer).GetAsync(own.Value))!.Version));
        Assert.Equal(SaveProblem.Refused, ownAgreed.Problem);
        await AssertSuratIsOutOfReachAsync(officer, demo);
    }

    [Fact]
    public async Task An_officer_keeps_editing_the_city_they_register_and_an_administrator_can_widen_their_reach()
    {
        var demo = await SeedAsync();
        var officer = await Database.AddUserAsync(Roles.ProgrammeOfficer, programmeIds: [demo.Vvsg]);

        var registered = await Cities(officer).CreateAsync(new CityForm
        {
            Name = "Mechelen", CountryCode = "BE", Region = Region.Europe, Latitude = 51.03, Longitude = 4.48,
        });

        Assert.True(registered.Succeeded, registered.Message);
        Assert.True((await Cities(officer).GetAsync(registered.Value))!.CanEdit);

        await using (var db = Database.CreateDbContext())
        {
            db.ProgrammeCities.Add(new ProgrammeCity { ProgrammeId = demo.Vvsg, CityId = demo.Surat });
            await db.SaveChangesAsync();
        }

        var surat = (await Cities(officer).GetAsync(demo.Surat))!;
        Assert.True(surat.CanEdit);
        Assert.Contains(surat.Contacts, c => c.Email == SuratContactEmail);
    }

    [Fact]
    public async Task An_officer_without_a_programme_is_told_why_they_cannot_register_a_city()
    {
        await SeedAsync();
        var officer = await Database.AddUserAsync(Roles.ProgrammeOfficer);

        var result = await Cities(officer).CreateAsync(new CityForm
        {
            Name = "Mechelen", CountryCode = "BE", Region = Region.Europe, Latitude = 51.03, Longitude = 4.48,
        });

        Assert.Equal(SaveProblem.Forbidden, result.Problem);
        Assert.Equal(AccessRules.NoProgrammeMessage, result.Message);
    }

    [Fact]
    public async Task Only_an_administrator_registers_a_partnership_past_Proposed_and_an_officer_only_in_their_programmes()
    {
        var demo = await SeedAsync();
        var officer = await Database.AddUserAsync(Roles.ProgrammeOfficer, programmeIds: [demo.Vvsg]);
        var active = new PartnershipStart(PartnershipStatus.Active, new DateOnly(2024, 1, 1));
        await using var countDb = Database.CreateDbContext();
        var before = await countDb.Partnerships.CountAsync();

        var officerActive = await Partnerships(officer).CreateAsync(HerentSurat(demo, demo.Vvsg), active);
        var officerOtherProgramme = await Partnerships(officer).CreateAsync(HerentSurat(demo, demo.Iuc));
        var administratorActive = await Partnerships(new ClaimsPrincipal(TestUsers.Principal("a", "a", Roles.Administrator, mfa: true)))
            .CreateAsync(HerentSurat(demo, demo.Iuc), active);

        Assert.Equal(SaveProblem.Forbidden, officerActive.Problem);
        Assert.Equal(PartnershipService.StartsProposedMessage, officerActive.Message);
        Assert.Equal(SaveProblem.Forbidden, officerOtherProgramme.Problem);
        Assert.True(administratorActive.Succeeded, administratorActive.Message);
        var created = (await Partnerships(officer).GetAsync(administratorActive.Value))!;
        Assert.Equal(PartnershipStatus.Active, created.Status);
        Assert.Equal([PartnershipStatus.Proposed, PartnershipStatus.Agreed, PartnershipStatus.Active], created.History.Select(h => h.To));
        Assert.Equal(before + 1, await countDb.Partnerships.CountAsync());
    }

    [Fact]
    public async Task Only_an_administrator_widens_a_programme_s_cities_and_the_change_is_in_the_programme_s_history()
    {
        var demo = await SeedAsync();
        var officer = await Database.AddUserAsync(Roles.ProgrammeOfficer, programmeIds: [demo.Vvsg]);
        var administrator = await Database.AddUserAsync(Roles.Administrator);
        var administratorWithMfa = new ClaimsPrincipal(new ClaimsIdentity(administrator.Claims.Append(new Claim("amr", "mfa")), "Test"));
        ProgrammeService Programmes(ClaimsPrincipal user) => Service<ProgrammeService>(user);

        var byOfficer = await Programmes(officer).SetWorksWithAsync(demo.Vvsg, demo.Surat, true);
        Assert.Equal(SaveProblem.Forbidden, byOfficer.Problem);
        Assert.False((await Cities(officer).GetAsync(demo.Surat))!.CanEdit);

        var byAdministrator = await Programmes(administratorWithMfa).SetWorksWithAsync(demo.Vvsg, demo.Surat, true);
        Assert.True(byAdministrator.Succeeded, byAdministrator.Message);
        Assert.True((await Cities(officer).GetAsync(demo.Surat))!.CanEdit);
        Assert.Contains((await Programmes(officer).GetAsync(demo.Vvsg))!.WorksWith, c => c.Id == demo.Surat);

        await using var db = Database.CreateDbContext();
        var entry = await db.AuditEntries.Where(e => e.EntityType == "Programme" && e.EntityId == demo.Vvsg).OrderByDescending(e => e.Id).FirstAsync();
        Assert.Equal(administrator.Identity!.Name, entry.UserName);
        Assert.Contains("Surat (IN)", entry.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_officer_cannot_import_an_active_partnership_into_a_programme_they_do_not_run()
    {
        var demo = await SeedAsync();
        var officer = await Database.AddUserAsync(Roles.ProgrammeOfficer, programmeIds: [demo.Vvsg]);
        var importer = Service<PartnershipImport>(officer);
        await using var countDb = Database.CreateDbContext();
        var before = await countDb.Partnerships.CountAsync();
        var file = Table.ReadCsv("""
            name,members,programmes,status
            Herent - Surat,Herent (BE); Surat (IN),IUC,Active
            Herent - Surat again,Herent (BE); Surat (IN),VVSG C2C,Active
            """);
        var mapping = PartnershipImport.Fields.ToDictionary(f => f.Field, f => f.Field).Where(f => f.Key is "name" or "members" or "programmes" or "status")
            .ToDictionary(f => f.Key, f => f.Value);

        var rows = await importer.ParseAsync(file, mapping, null, CancellationToken.None);

        Assert.All(rows, r => Assert.Null(r.Value));
        Assert.Contains(rows[0].Row.Errors, e => e.Contains(PartnershipService.StartsProposedMessage, StringComparison.Ordinal)
            || e.Contains(PartnershipService.OwnProgrammesMessage, StringComparison.Ordinal));
        Assert.Contains(rows[1].Row.Errors, e => e.Contains(PartnershipService.StartsProposedMessage, StringComparison.Ordinal));
        Assert.Equal(before, await countDb.Partnerships.CountAsync());
    }

    [Fact]
    public async Task Propose_on_the_Matches_page_attaches_only_a_programme_the_officer_runs()
    {
        var demo = await SeedAsync();
        var officer = await Database.AddUserAsync(Roles.ProgrammeOfficer, programmeIds: [demo.Vvsg]);
        var matching = new MatchingService(
            new MatchingSnapshotCache(Database.Factory, NullLogger<MatchingSnapshotCache>.Instance), Database.Factory, TimeProvider.System,
            TestUsers.As(officer), Partnerships(officer));
        await using var countDb = Database.CreateDbContext();
        var before = await countDb.Partnerships.CountAsync();

        var intoIuc = await matching.ProposeAsync(demo.Herent, demo.Surat, demo.Iuc);

        Assert.Equal(SaveProblem.Forbidden, intoIuc.Problem);
        Assert.Equal(before, await countDb.Partnerships.CountAsync());
    }

    [Fact]
    public async Task Cities_an_officer_imports_are_theirs_to_edit_and_an_officer_without_a_programme_imports_none()
    {
        var demo = await SeedAsync();
        var officer = await Database.AddUserAsync(Roles.ProgrammeOfficer, programmeIds: [demo.Vvsg]);
        var withoutProgramme = await Database.AddUserAsync(Roles.ProgrammeOfficer);
        ImportService Importer(ClaimsPrincipal user) => Service<ImportService>(user);
        var file = Table.ReadCsv("""
            name,country,lat,lng
            Zottegem,BE,50.87,3.81
            """);

        var refused = await Importer(withoutProgramme).CommitAsync(await Importer(withoutProgramme).PreviewAsync(ImportKind.Cities, file), new HashSet<int>());
        Assert.False(refused.Committed);
        Assert.Equal(AccessRules.NoProgrammeMessage, refused.Message);

        var imported = await Importer(officer).CommitAsync(await Importer(officer).PreviewAsync(ImportKind.Cities, file), new HashSet<int>());
        Assert.True(imported.Committed, imported.Message);
        int zottegem;
        await using (var db = Database.CreateDbContext())
        {
            zottegem = await db.Cities.Where(c => c.Name == "Zottegem").Select(c => c.Id).SingleAsync();
        }

        Assert.True((await Cities(officer).GetAsync(zottegem))!.CanEdit);
    }
}
