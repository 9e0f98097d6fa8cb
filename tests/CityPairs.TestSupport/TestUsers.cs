using System.Security.Claims;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;

namespace CityPairs.TestSupport;

/// <summary>Signed-in users as the services see them, for tests that call services directly.</summary>
public static class TestUsers
{
    /// <summary>An administrator who signed in with the second factor: may change everything.</summary>
    public const string AdministratorName = "admin@test.local";

    public static ICurrentUser Administrator { get; } = new FixedUser(Principal("test-admin", AdministratorName, Roles.Administrator, mfa: true));

    public static ICurrentUser Anonymous { get; } = new FixedUser(new ClaimsPrincipal(new ClaimsIdentity()));

    public static ClaimsPrincipal Principal(string userId, string name, string role, bool mfa = false)
    {
        List<Claim> claims = [new(ClaimTypes.NameIdentifier, userId), new(ClaimTypes.Name, name), new(ClaimTypes.Role, role)];
        if (mfa)
        {
            claims.Add(new Claim("amr", "mfa"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "Test"));
    }

    public static ICurrentUser As(ClaimsPrincipal principal) => new FixedUser(principal);

    public static AccessRules Rules(this PostgresDatabase database) => new(database.Factory);

    /// <summary>A user row (assignments refer to it) with the given role; returns the principal they sign in as.</summary>
    public static async Task<ClaimsPrincipal> AddUserAsync(
        this PostgresDatabase database, string role, IEnumerable<int>? cityIds = null, IEnumerable<int>? programmeIds = null)
    {
        await using var db = database.CreateDbContext();
        var id = Guid.NewGuid().ToString();
        var email = $"{role.ToLowerInvariant()}-{id[..8]}@test.local";
        db.Users.Add(new AppUser
        {
            Id = id, UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email,
            NormalizedEmail = email.ToUpperInvariant(), DisplayName = email, SecurityStamp = Guid.NewGuid().ToString(),
        });
        db.CityAssignments.AddRange((cityIds ?? []).Select(c => new CityAssignment { UserId = id, CityId = c }));
        db.ProgrammeAssignments.AddRange((programmeIds ?? []).Select(p => new ProgrammeAssignment { UserId = id, ProgrammeId = p }));
        await db.SaveChangesAsync();
        return Principal(id, email, role);
    }
}
