using System.Security.Claims;
using CityPairs.Domain.Exchanges;
using CityPairs.Domain.Partnerships;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Exchanges;
using CityPairs.Web.Features.Partnerships;
using CityPairs.Web.Features.Programmes;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests.Accounts;

/// <summary>
/// The per-city and per-programme rules, asked of the services directly: that is what a crafted request (a
/// forged form post, a call with another record's id) reaches, whatever the pages show or hide.
/// </summary>
public sealed class PermissionTests(PostgresDatabase database) : DatabaseTest(database)
{
    private sealed record Demo(
        int Tarija, int Herent, int Surat, int BrasschaatTarija, int HerentNimlahakok, int SuratRotterdam, int HerentExchange, int Vvsg, int Iuc);

    private async Task<Demo> SeedAsync()
    {
        await using var db = Database.CreateDbContext();
        await DemoData.SeedAsync(db);
        var cities = await db.Cities.ToDictionaryAsync(c => c.Name, c => c.Id);
        var partnerships = await db.Partnerships.ToListAsync();
        var herentNimlahakok = partnerships.Single(p => p.Name == "Herent - Nimlaha'kok").Id;
        var programmes = await db.Programmes.ToDictionaryAsync(p => p.ShortName, p => p.Id);
        return new Demo(
            cities["Tarija"], cities["Herent"], cities["Surat"], partnerships.Single(p => p.Name == "Brasschaat - Tarija").Id, herentNimlahakok,
            partnerships.First(p => p.Name.Contains("Surat", StringComparison.Ordinal)).Id,
            await db.Exchanges.Where(e => e.PartnershipId == herentNimlahakok).Select(e => e.Id).FirstAsync(),
            programmes["VVSG C2C"], programmes["IUC"]);
    }

    private ExchangeService Exchanges(ClaimsPrincipal user) => Service<ExchangeService>(user);

    private CityService Cities(ClaimsPrincipal user) => Service<CityService>(user);

    private PartnershipService Partnerships(ClaimsPrincipal user) => Service<PartnershipService>(user);

    private ProgrammeService Programmes(ClaimsPrincipal user) => Service<ProgrammeService>(user);

    private static ExchangeForm OnlineDialogue() => new()
    {
        Kind = ExchangeKind.DigitalDialogue,
        Title = "Crafted digital dialogue",
        StartsOn = new DateTime(2025, 3, 4),
        EndsOn = new DateTime(2025, 3, 4),
        IsOnline = true,
        Participants = [new ParticipantRow { ActorType = ActorType.LocalOrNationalAuthority, Role = ParticipantRole.Technical, Count = 6 }],
    };

    private async Task<int> ExchangeCountAsync(int partnershipId)
    {
        await using var db = Database.CreateDbContext();
        return await db.Exchanges.CountAsync(e => e.PartnershipId == partnershipId);
    }

    [Fact]
    public async Task A_coordinator_of_Tarija_logs_exchanges_for_Brasschaat_Tarija_but_not_for_Herent_Nimlahakok()
    {
        var demo = await SeedAsync();
        var coordinator = await Database.AddUserAsync(Roles.CityCoordinator, cityIds: [demo.Tarija]);
        var before = await ExchangeCountAsync(demo.HerentNimlahakok);

        var own = await Exchanges(coordinator).CreateAsync(demo.BrasschaatTarija, OnlineDialogue());
        var other = await Exchanges(coordinator).CreateAsync(demo.HerentNimlahakok, OnlineDialogue());

        Assert.True(own.Succeeded, own.Message);
        Assert.Equal(SaveProblem.Forbidden, other.Problem);
        Assert.Equal(before, await ExchangeCountAsync(demo.HerentNimlahakok));
    }

    [Fact]
    public async Task A_coordinator_cannot_change_or_delete_another_city_s_exchange_by_its_id()
    {
        var demo = await SeedAsync();
        var coordinator = await Database.AddUserAsync(Roles.CityCoordinator, cityIds: [demo.Tarija]);
        var (_, form) = (await Exchanges(TestUsers.Principal("x", "x", Roles.Administrator, mfa: true)).GetFormAsync(demo.HerentExchange))!.Value;
        form.Title = "Overwritten by Tarija";

        var update = await Exchanges(coordinator).UpdateAsync(demo.HerentExchange, form);
        var delete = await Exchanges(coordinator).DeleteAsync(demo.HerentExchange, form.Version);

        Assert.Equal(SaveProblem.Forbidden, update.Problem);
        Assert.Equal(SaveProblem.Forbidden, delete.Problem);
        await using var db = Database.CreateDbContext();
        Assert.NotEqual("Overwritten by Tarija", (await db.Exchanges.SingleAsync(e => e.Id == demo.HerentExchange)).Title);
    }

    [Fact]
    public async Task A_coordinator_edits_their_city_and_sees_its_contacts_but_not_another_city_s()
    {
        var demo = await SeedAsync();
        var coordinator = await Database.AddUserAsync(Roles.CityCoordinator, cityIds: [demo.Tarija]);
        var service = Cities(coordinator);
        var tarija = (await service.GetFormAsync(demo.Tarija))!;
        var herent = (await service.GetFormAsync(demo.Herent))!;
        tarija.Profile += " Edited by its coordinator.";
        herent.Profile += " Edited from Tarija.";

        Assert.True((await service.UpdateAsync(tarija)).Succeeded);
        Assert.Equal(SaveProblem.Forbidden, (await service.UpdateAsync(herent)).Problem);
        Assert.Equal(SaveProblem.Forbidden, (await service.ArchiveAsync(demo.Tarija, tarija.Version)).Problem);
        Assert.True((await service.GetAsync(demo.Tarija))!.CanEdit);
        var other = (await service.GetAsync(demo.Herent))!;
        Assert.False(other.CanEdit);
        Assert.Empty(other.Contacts);
    }

    [Fact]
    public async Task A_coordinator_cannot_change_a_partnership_or_its_status()
    {
        var demo = await SeedAsync();
        var coordinator = await Database.AddUserAsync(Roles.CityCoordinator, cityIds: [demo.Tarija]);
        var service = Partnerships(coordinator);
        var detail = (await service.GetAsync(demo.BrasschaatTarija))!;
        var form = (await service.GetFormAsync(demo.BrasschaatTarija))!;

        var status = await service.ChangeStatusAsync(demo.BrasschaatTarija,
            new StatusChangeRequest(PartnershipStatus.Completed, new DateOnly(2025, 1, 1), detail.Version));
        var update = await service.UpdateAsync(demo.BrasschaatTarija, form);
        var archive = await service.SetArchivedAsync(demo.BrasschaatTarija, true, detail.Version);

        Assert.Equal(SaveProblem.Forbidden, status.Problem);
        Assert.Equal(SaveProblem.Forbidden, update.Problem);
        Assert.Equal(SaveProblem.Forbidden, archive.Problem);
    }

    [Fact]
    public async Task A_programme_officer_runs_their_programme_s_partnerships_and_no_others()
    {
        var demo = await SeedAsync();
        var officer = await Database.AddUserAsync(Roles.ProgrammeOfficer, programmeIds: [demo.Vvsg]);
        var service = Partnerships(officer);
        var own = (await service.GetAsync(demo.HerentNimlahakok))!;
        var other = (await service.GetAsync(demo.SuratRotterdam))!;
        var ownForm = (await service.GetFormAsync(demo.HerentNimlahakok))!;
        ownForm.ProgrammeIds = [.. ownForm.ProgrammeIds, demo.Iuc];

        Assert.True((await service.SetArchivedAsync(demo.HerentNimlahakok, true, own.Version)).Succeeded);
        Assert.Equal(SaveProblem.Forbidden, (await service.SetArchivedAsync(demo.SuratRotterdam, true, other.Version)).Problem);
        Assert.Equal(SaveProblem.Forbidden, (await service.UpdateAsync(demo.HerentNimlahakok, ownForm)).Problem); // into a programme they do not run
        Assert.True((await Exchanges(officer).CreateAsync(demo.HerentNimlahakok, OnlineDialogue())).Succeeded);
        Assert.Equal(SaveProblem.Forbidden, (await Exchanges(officer).CreateAsync(demo.SuratRotterdam, OnlineDialogue())).Problem);

        var cities = Cities(officer);
        var herent = (await cities.GetFormAsync(demo.Herent))!;
        var surat = (await cities.GetFormAsync(demo.Surat))!;
        Assert.True((await cities.UpdateAsync(herent)).Succeeded);
        Assert.Equal(SaveProblem.Forbidden, (await cities.UpdateAsync(surat)).Problem);
    }

    [Fact]
    public async Task A_programme_officer_edits_their_programme_but_not_another_and_registers_none()
    {
        var demo = await SeedAsync();
        var officer = await Database.AddUserAsync(Roles.ProgrammeOfficer, programmeIds: [demo.Vvsg]);
        var service = Programmes(officer);
        var vvsg = (await service.GetFormAsync(demo.Vvsg))!;
        var iuc = (await service.GetFormAsync(demo.Iuc))!;
        vvsg.Description += " Edited by its officer.";

        Assert.True((await service.UpdateAsync(vvsg)).Succeeded);
        Assert.Equal(SaveProblem.Forbidden, (await service.UpdateAsync(iuc)).Problem);
        iuc.Id = null;
        iuc.ShortName = "ZZNEW";
        Assert.Equal(SaveProblem.Forbidden, (await service.CreateAsync(iuc)).Problem);
    }

    [Fact]
    public async Task A_facilitator_proposes_partnerships_but_changes_nothing_else()
    {
        var demo = await SeedAsync();
        var facilitator = await Database.AddUserAsync(Roles.Facilitator);
        var service = Partnerships(facilitator);
        var form = (await service.GetFormAsync(demo.BrasschaatTarija))!;
        var proposal = new PartnershipForm
        {
            Name = "Zz Tarija - Surat", Modality = Modality.Pairing,
            Members = [new MemberForm { CityId = demo.Tarija }, new MemberForm { CityId = demo.Surat }],
        };

        var proposed = await service.CreateAsync(proposal);
        Assert.True(proposed.Succeeded, proposed.Message);
        Assert.Equal(SaveProblem.Forbidden, (await service.UpdateAsync(demo.BrasschaatTarija, form)).Problem);
        Assert.Equal(SaveProblem.Forbidden, (await Exchanges(facilitator).CreateAsync(demo.BrasschaatTarija, OnlineDialogue())).Problem);
        Assert.Equal(SaveProblem.Forbidden, (await Cities(facilitator).UpdateAsync((await Cities(facilitator).GetFormAsync(demo.Tarija))!)).Problem);
        Assert.Empty((await Cities(facilitator).GetAsync(demo.Tarija))!.Contacts);
    }

    [Fact]
    public async Task An_administrator_without_the_second_factor_is_not_an_administrator()
    {
        var demo = await SeedAsync();
        var halfSignedIn = TestUsers.Principal("admin-no-mfa", "admin@test.local", Roles.Administrator, mfa: false);
        var anonymous = new ClaimsPrincipal(new ClaimsIdentity());

        Assert.Equal(SaveProblem.Forbidden, (await Exchanges(halfSignedIn).CreateAsync(demo.BrasschaatTarija, OnlineDialogue())).Problem);
        Assert.Equal(SaveProblem.Forbidden, (await Exchanges(anonymous).CreateAsync(demo.BrasschaatTarija, OnlineDialogue())).Problem);
    }
}
