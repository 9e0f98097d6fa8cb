using System.Security.Claims;
using System.Text.Json;
using CityPairs.Domain.Exchanges;
using CityPairs.Domain.Partnerships;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Audit;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Exchanges;
using CityPairs.Web.Features.Partnerships;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.IntegrationTests.Audit;

/// <summary>Each kind of change leaves one entry: who, when, which record, and the values before and after.</summary>
public sealed class AuditTrailTests(PostgresDatabase database) : DatabaseTest(database)
{
    private static readonly ClaimsPrincipal Admin = TestUsers.Principal("audit-admin", "audit-admin@test.local", Roles.Administrator, mfa: true);

    private CityService Cities(ClaimsPrincipal user) => Service<CityService>(user);

    private PartnershipService Partnerships() => Service<PartnershipService>(Admin);

    private ExchangeService Exchanges() => Service<ExchangeService>(Admin);

    private async Task<List<AuditEntry>> EntriesAsync(string type, int id)
    {
        await using var db = Database.CreateDbContext();
        return await db.AuditEntries.Where(e => e.EntityType == type && e.EntityId == id).OrderBy(e => e.Id).ToListAsync();
    }

    private static Dictionary<string, JsonElement[]> Changes(AuditEntry entry) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement[]>>(entry.Changes)!;

    private static CityForm NewCity() => new()
    {
        Name = "Zz Audit Town", CountryCode = "PT", Region = Domain.Common.Region.Europe, Latitude = 38.5, Longitude = -9.1,
        Profile = "A town for the audit test.", PrioritySdgs = [11],
        Contacts = [new CityContactForm { Name = "Ana Costa", Role = "Coordinator", Email = "ana@example.org", ActiveFrom = "2024-01-15" }],
    };

    [Fact]
    public async Task Creating_updating_archiving_and_deleting_a_city_each_leave_an_entry_with_the_user_and_values()
    {
        var service = Cities(Admin);
        var id = (await service.CreateAsync(NewCity())).Value;
        var form = (await service.GetFormAsync(id))!;
        form.Profile = "Profile changed.";
        form.Contacts[0].Email = "ana.costa@example.org";
        Assert.True((await service.UpdateAsync(form)).Succeeded);
        var version = (await service.GetAsync(id))!.Version;
        Assert.True((await service.ArchiveAsync(id, version)).Succeeded);
        version = (await service.GetAsync(id))!.Version;
        Assert.True((await service.RestoreAsync(id, version)).Succeeded);
        version = (await service.GetAsync(id))!.Version;
        Assert.True((await service.DeleteAsync(id, version)).Succeeded);

        var entries = await EntriesAsync("City", id);
        Assert.Equal([AuditAction.Created, AuditAction.Updated, AuditAction.Archived, AuditAction.Restored, AuditAction.Deleted], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(("audit-admin", "audit-admin@test.local"), (e.UserId, e.UserName)));
        Assert.Equal("Zz Audit Town", Changes(entries[0])["Name"][1].GetString());
        var update = Changes(entries[1]);
        Assert.Equal(["A town for the audit test.", "Profile changed."], update["Profile"].Select(v => v.GetString()));
        var contactEmail = Assert.Single(update, c => c.Key.EndsWith(".Email", StringComparison.Ordinal));
        Assert.StartsWith("CityContact[Id=", contactEmail.Key, StringComparison.Ordinal);
        Assert.Equal(["ana@example.org", "ana.costa@example.org"], contactEmail.Value.Select(v => v.GetString()));
        Assert.Equal("Zz Audit Town", Changes(entries[4])["Name"][0].GetString());
    }

    [Fact]
    public async Task A_status_change_is_its_own_kind_of_entry_and_records_who_made_it()
    {
        await using (var db = Database.CreateDbContext())
        {
            await DemoData.SeedAsync(db);
        }

        var service = Partnerships();
        Dictionary<string, int> cities;
        await using (var db = Database.CreateDbContext())
        {
            cities = await db.Cities.ToDictionaryAsync(c => c.Name, c => c.Id);
        }

        var id = (await service.CreateAsync(new PartnershipForm
        {
            Name = "Zz Quito - Leipzig", Members = [new MemberForm { CityId = cities["Quito"] }, new MemberForm { CityId = cities["Leipzig"] }],
        })).Value;

        var detail = (await service.GetAsync(id))!;
        var result = await service.ChangeStatusAsync(id, new StatusChangeRequest(PartnershipStatus.Agreed, DateOnly.FromDateTime(DateTime.Today), detail.Version));

        Assert.True(result.Succeeded, result.Message);
        var entry = (await EntriesAsync("Partnership", id)).Last();
        Assert.Equal(AuditAction.StatusChanged, entry.Action);
        Assert.Equal(["Proposed", "Agreed"], Changes(entry)["Status"].Select(v => v.GetString()));
        await using var check = Database.CreateDbContext();
        var change = await check.Partnerships.Where(p => p.Id == id).SelectMany(p => p.StatusHistory).OrderByDescending(s => s.Id).FirstAsync();
        Assert.Equal("audit-admin@test.local", change.By);
    }

    [Fact]
    public async Task Exchanges_are_recorded_on_their_partnership_s_history_too()
    {
        await using (var db = Database.CreateDbContext())
        {
            await DemoData.SeedAsync(db);
        }

        int partnership;
        await using (var db = Database.CreateDbContext())
        {
            partnership = await db.Partnerships.Where(p => p.Name == "Brasschaat - Tarija").Select(p => p.Id).SingleAsync();
        }

        var form = new ExchangeForm
        {
            Kind = ExchangeKind.DigitalDialogue, Title = "Audited dialogue", StartsOn = new DateTime(2025, 3, 4), EndsOn = new DateTime(2025, 3, 4), IsOnline = true,
            Participants = [new ParticipantRow { ActorType = ActorType.LocalOrNationalAuthority, Role = ParticipantRole.Technical, Count = 6 }],
        };
        var id = (await Exchanges().CreateAsync(partnership, form)).Value;
        var version = (await Exchanges().GetFormAsync(id))!.Value.Form.Version;
        Assert.True((await Exchanges().DeleteAsync(id, version)).Succeeded);

        var entries = await EntriesAsync("Exchange", id);
        Assert.Equal([AuditAction.Created, AuditAction.Deleted], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(("Partnership", partnership), (e.ParentType, e.ParentId)));
        var history = await Service<AuditService>(Admin).HistoryAsync("Partnership", partnership);
        Assert.Equal(AuditAction.Deleted, history.Items[0].Action);
        Assert.Equal("Exchange", history.Items[0].EntityType);
    }

    [Fact]
    public async Task A_change_that_is_not_saved_leaves_no_entry()
    {
        var service = Cities(Admin);
        var id = (await service.CreateAsync(NewCity())).Value;
        var stale = (await service.GetFormAsync(id))!;
        var fresh = (await service.GetFormAsync(id))!;
        fresh.Profile = "First editor.";
        Assert.True((await service.UpdateAsync(fresh)).Succeeded);
        stale.Profile = "Second editor, from a stale page.";

        Assert.Equal(SaveProblem.Conflict, (await service.UpdateAsync(stale)).Problem);
        var coordinator = await Database.AddUserAsync(Roles.CityCoordinator);
        Assert.Equal(SaveProblem.Forbidden, (await Cities(coordinator).UpdateAsync((await service.GetFormAsync(id))!)).Problem);

        Assert.Equal([AuditAction.Created, AuditAction.Updated], (await EntriesAsync("City", id)).Select(e => e.Action));
    }
}
