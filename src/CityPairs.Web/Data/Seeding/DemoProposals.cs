using System.Security.Claims;
using CityPairs.Domain.Partnerships;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Invitations;
using CityPairs.Web.Features.Partnerships;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Data.Seeding;

/// <summary>
/// Two proposals that show the consent loop to someone trying the demo (Development only): Herent - Tarija, which
/// Herent accepted and asked about while Tarija (the demo coordinator's city) has still to answer; and Quito - Hannover,
/// which Hannover declined, so Matches for Quito explains why Hannover is not suggested. Made through the same
/// writers as the pages, as the demo facilitator and the demo administrator, so they carry invitations, messages and
/// history exactly as a real proposal does. Seeding twice changes nothing.
/// </summary>
public static class DemoProposals
{
    public const string Pending = "Herent - Tarija";
    public const string Declined = "Quito - Hannover";

    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        using var scope = services.CreateScope();
        var provider = scope.ServiceProvider;
        var db = provider.GetRequiredService<CityPairsDbContext>();
        if (await db.Partnerships.AnyAsync(p => p.Name == Pending || p.Name == Declined, cancellationToken))
        {
            return;
        }

        var users = provider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(DemoAccounts.Facilitator) is not { } facilitatorAccount ||
            await users.FindByEmailAsync(DemoAccounts.Administrator) is not { } adminAccount)
        {
            return;
        }

        var cities = await db.Cities.Where(c => c.Name == "Herent" || c.Name == "Tarija" || c.Name == "Quito" || c.Name == "Hannover")
            .ToDictionaryAsync(c => c.Name, c => c.Id, cancellationToken);
        var vvsg = await db.Programmes.Where(p => p.ShortName == "VVSG C2C").Select(p => p.Id).SingleAsync(cancellationToken);
        var facilitator = Principal(facilitatorAccount, Roles.Facilitator);
        var admin = Principal(adminAccount, Roles.Administrator, mfa: true);

        var herentTarija = await ProposeAsync(provider, facilitator, new PartnershipForm
        {
            Name = Pending,
            Members = [new MemberForm { CityId = cities["Herent"], Expectations = "Learn from Tarija's community forestry." },
                new MemberForm { CityId = cities["Tarija"] }],
            ProgrammeIds = [vvsg], Sdgs = [13, 15],
            Description = "A second Flemish partner for Tarija, on reforestation and water retention.",
        }, cancellationToken);
        var quitoHannover = await ProposeAsync(provider, facilitator, new PartnershipForm
        {
            Name = Declined,
            Members = [new MemberForm { CityId = cities["Quito"] }, new MemberForm { CityId = cities["Hannover"] }],
            Sdgs = [11],
        }, cancellationToken);

        var answers = ActivatorUtilities.CreateInstance<InvitationService>(provider, new FixedUser(admin), Partnerships(provider, admin));
        var invitations = await db.Invitations.AsNoTracking().Where(i => i.PartnershipId == herentTarija || i.PartnershipId == quitoHannover)
            .ToListAsync(cancellationToken);
        int Of(int partnershipId, string city) => invitations.Single(i => i.PartnershipId == partnershipId && i.CityId == cities[city]).Id;
        await answers.AskAsync(Of(herentTarija, "Herent"), "Could a field visit to Tarija's nurseries fit in the dry season of 2027?", cancellationToken);
        await answers.AcceptAsync(Of(herentTarija, "Herent"), cancellationToken);
        await answers.DeclineAsync(Of(quitoHannover, "Hannover"),
            "Hannover's international office is committed to its existing partnerships until 2028.", cancellationToken);
    }

    private static async Task<int> ProposeAsync(IServiceProvider provider, ClaimsPrincipal user, PartnershipForm form, CancellationToken cancellationToken)
    {
        var result = await Partnerships(provider, user).CreateAsync(form, cancellationToken);
        return result.Succeeded ? result.Value : throw new InvalidOperationException($"Seeding the demo proposal {form.Name} failed: {result.Message}");
    }

    private static PartnershipService Partnerships(IServiceProvider provider, ClaimsPrincipal user) =>
        ActivatorUtilities.CreateInstance<PartnershipService>(provider, new FixedUser(user));

    private static ClaimsPrincipal Principal(AppUser account, string role, bool mfa = false)
    {
        List<Claim> claims = [new(ClaimTypes.NameIdentifier, account.Id), new(ClaimTypes.Name, account.UserName!), new(ClaimTypes.Role, role)];
        if (mfa)
        {
            claims.Add(new Claim("amr", "mfa"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "Demo"));
    }
}
