using CityPairs.Web.Data;
using CityPairs.Web.Features.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CityPairs.Web.Features.Accounts;

public sealed record UserItem(
    string Id, string Email, string DisplayName, string? Role, bool TwoFactorEnabled, bool LockedOut,
    IReadOnlyList<CityOption> Cities, IReadOnlyList<int> ProgrammeIds);

/// <summary>Accounts, their role and their scope (cities, programmes): administrators only, checked on every call.</summary>
public sealed partial class UserAdminService(
    IDbContextFactory<CityPairsDbContext> dbFactory, UserManager<AppUser> users, ICurrentUser currentUser, TimeProvider clock,
    ILogger<UserAdminService> logger)
{
    private readonly PortfolioWrite _write = new(dbFactory, currentUser, logger);

    public async Task<IReadOnlyList<UserItem>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (!await IsAdministratorAsync())
        {
            return [];
        }

        await using var db = await dbFactory.CreateForAsync(currentUser, cancellationToken);
        var now = clock.GetUtcNow();
        var rows = await db.Users.AsNoTracking().OrderBy(u => u.Email)
            .Select(u => new
            {
                u.Id, u.Email, u.DisplayName, u.TwoFactorEnabled, u.LockoutEnd,
                Role = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name).FirstOrDefault(),
                Cities = db.CityAssignments.Where(a => a.UserId == u.Id).Join(db.Cities, a => a.CityId, c => c.Id,
                    (a, c) => new CityOption(c.Id, c.Name, c.CountryCode, c.Region)).ToList(),
                Programmes = db.ProgrammeAssignments.Where(a => a.UserId == u.Id).Select(a => a.ProgrammeId).ToList(),
            })
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(r => new UserItem(
            r.Id, r.Email ?? "", r.DisplayName, r.Role, r.TwoFactorEnabled, r.LockoutEnd > now, r.Cities, r.Programmes));
    }

    public async Task<SaveResult<string>> CreateAsync(string email, string displayName, string role, string password)
    {
        if (!await IsAdministratorAsync())
        {
            return SaveResult<string>.Forbidden();
        }

        if (!Roles.All.Contains(role))
        {
            return SaveResult<string>.Invalid("Role", "Choose one of the roles.");
        }

        var user = new AppUser { UserName = email.Trim(), Email = email.Trim(), EmailConfirmed = true, DisplayName = displayName.Trim() };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return SaveResult<string>.Invalid("Email", string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        await users.AddToRoleAsync(user, role);
        return SaveResult<string>.Ok(user.Id);
    }

    /// <summary>One role per person keeps "who may do what" readable; changing it also signs them out everywhere.</summary>
    public Task<SaveResult<bool>> SaveAsync(string userId, string role, IReadOnlyCollection<int> cityIds, IReadOnlyCollection<int> programmeIds, CancellationToken cancellationToken = default) =>
        _write.RunAsync(async write =>
        {
            if (!AccessRules.IsAdministrator(write.User))
            {
                return SaveResult<bool>.Forbidden();
            }

            if (!Roles.All.Contains(role))
            {
                return SaveResult<bool>.Invalid("Role", "Choose one of the roles.");
            }

            var user = await users.FindByIdAsync(userId);
            if (user is null)
            {
                return SaveResult<bool>.NotFound("This user no longer exists.");
            }

            var current = await users.GetRolesAsync(user);
            if (!current.SequenceEqual([role]))
            {
                await users.RemoveFromRolesAsync(user, current);
                await users.AddToRoleAsync(user, role);
                // A new stamp ends their open sessions within SessionRevalidation's interval (cookies and circuits).
                await users.UpdateSecurityStampAsync(user);
                // Roles live in Identity's tables, outside the portfolio's audit trail; the log says who changed what.
                var oldRoles = string.Join(", ", current);
                LogRoleChanged(logger, user.Email, oldRoles, role, write.User.Identity?.Name);
                write.Db.SecurityEvents.Add(SecurityLog.SecurityLogService.New(
                    SecurityLog.SecurityEventKind.RoleChanged, user.Email, user.Id, $"From {(oldRoles.Length == 0 ? "no role" : oldRoles)} to {role}",
                    clock.GetUtcNow(), null, write.User.Identity?.Name));
            }

            var db = write.Db;
            db.CityAssignments.RemoveRange(await db.CityAssignments.Where(a => a.UserId == userId && !cityIds.Contains(a.CityId)).ToListAsync(cancellationToken));
            var haveCities = await db.CityAssignments.Where(a => a.UserId == userId).Select(a => a.CityId).ToListAsync(cancellationToken);
            db.CityAssignments.AddRange(cityIds.Distinct().Except(haveCities).Select(c => new CityAssignment { UserId = userId, CityId = c }));
            db.ProgrammeAssignments.RemoveRange(await db.ProgrammeAssignments.Where(a => a.UserId == userId && !programmeIds.Contains(a.ProgrammeId)).ToListAsync(cancellationToken));
            var havePrograms = await db.ProgrammeAssignments.Where(a => a.UserId == userId).Select(a => a.ProgrammeId).ToListAsync(cancellationToken);
            db.ProgrammeAssignments.AddRange(programmeIds.Distinct().Except(havePrograms).Select(p => new ProgrammeAssignment { UserId = userId, ProgrammeId = p }));
            return await write.SaveAsync(() => true, cancellationToken);
        }, cancellationToken);

    private async Task<bool> IsAdministratorAsync() => AccessRules.IsAdministrator(await currentUser.GetAsync());

    [LoggerMessage(Level = LogLevel.Information, Message = "Role of {UserEmail} changed from {OldRoles} to {NewRole} by {ChangedBy}")]
    private static partial void LogRoleChanged(ILogger logger, string? userEmail, string oldRoles, string newRole, string? changedBy);
}
