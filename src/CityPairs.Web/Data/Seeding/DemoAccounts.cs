using CityPairs.Web.Features.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Data.Seeding;

/// <summary>
/// One account per role for Development (listed in the README). The administrator has two-factor sign-in
/// switched on with a published authenticator key: administrators always need a second factor, and a demo
/// must still be usable, so the key is documented instead of the rule being relaxed. Never seeded outside
/// Development.
/// </summary>
public static class DemoAccounts
{
    public const string Password = "CityPairs-Demo-2026!";

    /// <summary>Base32; any TOTP app (or the tests) turns it into the six-digit codes.</summary>
    public const string AdministratorAuthenticatorKey = "CPDEMOADMINTOTPKEY234567";

    public const string Administrator = "admin@citypairs.local";
    public const string Officer = "officer@citypairs.local";
    public const string Coordinator = "tarija@citypairs.local";
    public const string Facilitator = "facilitator@citypairs.local";

    /// <summary>The roles themselves: every environment needs them, so they are seeded with the reference data.</summary>
    public static async Task SeedRolesAsync(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)));
            }
        }
    }

    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await SeedRolesAsync(services);
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var db = scope.ServiceProvider.GetRequiredService<CityPairsDbContext>();

        var admin = await EnsureAsync(users, Administrator, "Demo administrator", Roles.Administrator);
        if (admin is not null)
        {
            // The store keeps the key as this token; setting it directly gives the demo a known key.
            Check(await users.SetAuthenticationTokenAsync(admin, "[AspNetUserStore]", "AuthenticatorKey", AdministratorAuthenticatorKey));
            Check(await users.SetTwoFactorEnabledAsync(admin, true));
        }

        if (await EnsureAsync(users, Officer, "Demo programme officer", Roles.ProgrammeOfficer) is { } officer)
        {
            var programmes = await db.Programmes.Where(p => p.ShortName == "VVSG C2C" || p.ShortName == "WC").Select(p => p.Id).ToListAsync(cancellationToken);
            db.ProgrammeAssignments.AddRange(programmes.Select(id => new ProgrammeAssignment { UserId = officer.Id, ProgrammeId = id }));
        }

        if (await EnsureAsync(users, Coordinator, "Demo coordinator of Tarija", Roles.CityCoordinator) is { } coordinator)
        {
            var tarija = await db.Cities.Where(c => c.Name == "Tarija" && c.CountryCode == "BO").Select(c => c.Id).ToListAsync(cancellationToken);
            db.CityAssignments.AddRange(tarija.Select(id => new CityAssignment { UserId = coordinator.Id, CityId = id }));
        }

        await EnsureAsync(users, Facilitator, "Demo facilitator", Roles.Facilitator);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Creates an administrator account (any environment), for a new installation's first sign-in.</summary>
    public static async Task<string> CreateAdministratorAsync(IServiceProvider services, string email, string? password)
    {
        if (string.IsNullOrWhiteSpace(password))
        {
            throw new StartupException("Set CITYPAIRS_ADMIN_PASSWORD (at least 12 characters) to the new administrator's password.");
        }

        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            return $"{email} exists already; nothing changed.";
        }

        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            throw new StartupException(string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        Check(await users.AddToRoleAsync(user, Roles.Administrator));
        return $"Administrator {email} created; they set up two-factor sign-in when they first sign in.";
    }

    /// <summary>The new user, or null when the account exists already (seeding twice changes nothing).</summary>
    private static async Task<AppUser?> EnsureAsync(UserManager<AppUser> users, string email, string name, string role)
    {
        if (await users.FindByEmailAsync(email) is not null)
        {
            return null;
        }

        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
        Check(await users.CreateAsync(user, Password));
        Check(await users.AddToRoleAsync(user, role));
        return user;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Seeding the demo accounts failed: " + string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
