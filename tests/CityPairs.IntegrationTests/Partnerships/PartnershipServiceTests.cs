using CityPairs.Domain.Partnerships;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Partnerships;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests.Partnerships;

public sealed class PartnershipServiceTests(PostgresDatabase database) : DatabaseTest(database)
{
    private PartnershipService Service() => Service<PartnershipService>(TestUsers.Administrator);

    private async Task<Dictionary<string, int>> SeedAsync()
    {
        await using var db = Database.CreateDbContext();
        await DemoData.SeedAsync(db);
        return await db.Cities.ToDictionaryAsync(c => c.Name, c => c.Id);
    }

    private async Task<int> ProgrammeAsync(string shortName)
    {
        await using var db = Database.CreateDbContext();
        return await db.Programmes.Where(p => p.ShortName == shortName).Select(p => p.Id).SingleAsync();
    }

    private async Task<int> CountAsync()
    {
        await using var db = Database.CreateDbContext();
        return await db.Partnerships.CountAsync();
    }

    private static PartnershipForm Pair(int a, int b, string name = "Quito - Leipzig") => new()
    {
        Name = name,
        Members = [new MemberForm { CityId = a, Expectations = "Learn about urban renewal." }, new MemberForm { CityId = b }],
        Sdgs = [11],
    };

    [Fact]
    public async Task Creating_a_partnership_proposes_it_with_its_members_and_history()
    {
        var cities = await SeedAsync();

        var result = await Service().CreateAsync(Pair(cities["Quito"], cities["Leipzig"]));

        Assert.True(result.Succeeded, result.Message);
        var detail = await Service().GetAsync(result.Value);
        Assert.NotNull(detail);
        Assert.Equal(PartnershipStatus.Proposed, detail.Status);
        Assert.Equal(["Leipzig", "Quito"], detail.Members.Select(m => m.CityName).Order());
        Assert.Equal("Learn about urban renewal.", detail.Members.Single(m => m.CityName == "Quito").Expectations);
        var proposed = Assert.Single(detail.History);
        Assert.Equal(TestUsers.AdministratorName, proposed.By);
        Assert.Equal([PartnershipStatus.Agreed, PartnershipStatus.Discontinued], detail.AllowedNext);
    }

    [Fact]
    public async Task A_city_cannot_partner_itself_and_nothing_is_saved()
    {
        var cities = await SeedAsync();
        var before = await CountAsync();

        var result = await Service().CreateAsync(Pair(cities["Quito"], cities["Quito"]));

        Assert.Equal(SaveProblem.Invalid, result.Problem);
        Assert.Contains(result.Errors, e => e.Message.Contains("cannot partner itself", StringComparison.Ordinal));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task One_member_is_not_a_partnership()
    {
        var cities = await SeedAsync();
        var before = await CountAsync();
        var form = Pair(cities["Quito"], cities["Leipzig"]);
        form.Members.RemoveAt(1);

        var result = await Service().CreateAsync(form);

        Assert.Contains(result.Errors, e => e.Message == "A partnership needs at least two member cities.");
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task A_programme_s_eligibility_rules_are_checked()
    {
        var cities = await SeedAsync();
        var form = Pair(cities["Hannover"], cities["Leipzig"], "Hannover - Leipzig");
        form.ProgrammeIds = [await ProgrammeAsync("IUC")];

        var result = await Service().CreateAsync(form);

        Assert.Equal(SaveProblem.Invalid, result.Problem);
        Assert.Contains("IUC asks for at least one member outside Europe", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_lifecycle_moves_forward_and_discontinuing_needs_a_reason()
    {
        var cities = await SeedAsync();
        var service = Service();
        var id = (await service.CreateAsync(Pair(cities["Quito"], cities["Leipzig"]))).Value;
        var on = DateOnly.FromDateTime(DateTime.Today);

        var agreed = await service.ChangeStatusAsync(id, new StatusChangeRequest(
            PartnershipStatus.Agreed, on, (await service.GetAsync(id))!.Version, AgreementKind: AgreementKind.MemorandumOfUnderstanding, ValidUntil: on.AddYears(3)));
        var noReason = await service.ChangeStatusAsync(id, new StatusChangeRequest(PartnershipStatus.Discontinued, on, (await service.GetAsync(id))!.Version, Reason: " "));
        var backwards = await service.ChangeStatusAsync(id, new StatusChangeRequest(PartnershipStatus.Completed, on, (await service.GetAsync(id))!.Version));

        Assert.True(agreed.Succeeded, agreed.Message);
        Assert.Equal(SaveProblem.Refused, noReason.Problem);
        Assert.Contains("reason", noReason.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(SaveProblem.Refused, backwards.Problem);
        var detail = (await service.GetAsync(id))!;
        Assert.Equal(PartnershipStatus.Agreed, detail.Status);
        Assert.Equal(AgreementKind.MemorandumOfUnderstanding, Assert.Single(detail.Agreements).Kind);
        Assert.Equal(2, detail.History.Count);
    }

    [Fact]
    public async Task A_stale_edit_is_refused_and_the_first_save_stays()
    {
        var cities = await SeedAsync();
        var service = Service();
        var id = (await service.CreateAsync(Pair(cities["Quito"], cities["Leipzig"]))).Value;
        var mine = (await service.GetFormAsync(id))!;
        var theirs = (await service.GetFormAsync(id))!;

        mine.Description = "Mine";
        theirs.Description = "Theirs";
        var first = await service.UpdateAsync(id, mine);
        var second = await service.UpdateAsync(id, theirs);

        Assert.True(first.Succeeded, first.Message);
        Assert.Equal(SaveProblem.Conflict, second.Problem);
        Assert.Equal("Mine", (await service.GetAsync(id))!.Description);
    }

    [Fact]
    public async Task Editing_changes_members_roles_and_themes()
    {
        var cities = await SeedAsync();
        var service = Service();
        var id = (await service.CreateAsync(Pair(cities["Quito"], cities["Leipzig"]))).Value;
        var form = (await service.GetFormAsync(id))!;
        await using (var db = Database.CreateDbContext())
        {
            form.ThemeIds = [await db.Themes.Where(t => t.Name == "Urban renewal").Select(t => t.Id).SingleAsync()];
        }

        form.Modality = Modality.ClusterOrNetwork;
        form.Members.Add(new MemberForm { CityId = cities["Havana"], Role = MemberRole.Lead });

        var result = await service.UpdateAsync(id, form);

        Assert.True(result.Succeeded, result.Message);
        var detail = (await service.GetAsync(id))!;
        Assert.Equal(3, detail.Members.Count);
        Assert.Equal("Havana", detail.Members[0].CityName);
        Assert.Equal(["Urban renewal"], detail.Themes);
    }

    [Fact]
    public async Task Archived_partnerships_leave_the_default_list_and_can_be_restored()
    {
        await SeedAsync();
        var service = Service();
        var edegem = (await service.ListAsync(new PartnershipListQuery(Search: "Edegem"))).Items.Single();
        var version = (await service.GetAsync(edegem.Id))!.Version;

        var archived = await service.SetArchivedAsync(edegem.Id, true, version);

        Assert.True(archived.Succeeded);
        Assert.Empty((await service.ListAsync(new PartnershipListQuery(Search: "Edegem"))).Items);
        Assert.Single((await service.ListAsync(new PartnershipListQuery(Search: "Edegem", IncludeArchived: true))).Items);

        var restored = await service.SetArchivedAsync(edegem.Id, false, (await service.GetAsync(edegem.Id))!.Version);

        Assert.True(restored.Succeeded);
        Assert.Single((await service.ListAsync(new PartnershipListQuery(Search: "Edegem"))).Items);
    }

    [Fact]
    public async Task The_list_filters_by_programme_status_modality_theme_sdg_and_country()
    {
        await SeedAsync();
        var service = Service();
        int renewal;
        await using (var db = Database.CreateDbContext())
        {
            renewal = await db.Themes.Where(t => t.Name == "Agroforestry and reforestation").Select(t => t.Id).SingleAsync();
        }

        var worldCities = await service.ListAsync(new PartnershipListQuery(ProgrammeId: await ProgrammeAsync("WC")));
        var discontinued = await service.ListAsync(new PartnershipListQuery(Status: PartnershipStatus.Discontinued));
        var networks = await service.ListAsync(new PartnershipListQuery(Modality: Modality.ClusterOrNetwork));
        var reforestation = await service.ListAsync(new PartnershipListQuery(ThemeId: renewal));
        var sdg15 = await service.ListAsync(new PartnershipListQuery(Sdg: 15));
        var belgium = await service.ListAsync(new PartnershipListQuery(CountryCode: "be"));

        Assert.Equal(8, worldCities.TotalCount);
        Assert.Equal(["Edegem - San Jerónimo"], discontinued.Items.Select(p => p.Name));
        Assert.Equal(["AL-LAs network", "UCLG Brazil - Mozambique"], networks.Items.Select(p => p.Name));
        Assert.Equal(["Herent - Nimlaha'kok"], reforestation.Items.Select(p => p.Name));
        Assert.Equal(["Herent - Nimlaha'kok"], sdg15.Items.Select(p => p.Name));
        Assert.Equal(3, belgium.TotalCount);
        Assert.Equal(3, belgium.Items.Single(p => p.Name == "Brasschaat - Tarija").ExchangeCount);
    }
}
