using System.Net;
using CityPairs.TestSupport;
using CityPairs.Web.Data;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Accounts.SecurityLog;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CityPairs.IntegrationTests.Accounts;

/// <summary>
/// The security log: what happened to accounts (sign-ins, failures, lockouts, roles, second factors, passwords),
/// readable by administrators only; and the authenticator page, which shows a QR code once and never the key again.
/// </summary>
public sealed class SecurityLogTests(PostgresDatabase database) : DatabaseTest(database)
{
    private async Task<List<SecurityEvent>> EventsAsync(string email)
    {
        await using var db = Database.CreateDbContext();
        return await db.SecurityEvents.Where(e => e.Email == email).OrderBy(e => e.Id).ToListAsync();
    }

    [Fact]
    public async Task Sign_ins_failed_sign_ins_and_a_lockout_are_logged()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        using var client = app.CreateClient();
        await client.SignInAsync(DemoUser.Facilitator);
        await client.SignInAsync(DemoUser.Administrator);
        using var anonymous = app.CreateClient();
        await SignIn.PostFormAsync(anonymous, "/Account/Login", new() { ["Input.Email"] = "nobody@test.local", ["Input.Password"] = "wrong password 123" });
        for (var i = 0; i < 5; i++)
        {
            await SignIn.PostFormAsync(anonymous, "/Account/Login", new() { ["Input.Email"] = DemoAccounts.Officer, ["Input.Password"] = "not the password at all" });
        }

        var facilitator = Assert.Single(await EventsAsync(DemoAccounts.Facilitator));
        Assert.Equal((SecurityEventKind.SignedIn, "Password"), (facilitator.Kind, facilitator.Detail));
        // The demo data set up the administrator's authenticator (logged too); the sign-in is what this is about.
        var admin = Assert.Single(await EventsAsync(DemoAccounts.Administrator), e => e.Kind == SecurityEventKind.SignedIn);
        Assert.Equal((SecurityEventKind.SignedIn, "Password and authenticator code"), (admin.Kind, admin.Detail));
        var nobody = Assert.Single(await EventsAsync("nobody@test.local"));
        Assert.Equal((SecurityEventKind.SignInFailed, (string?)null), (nobody.Kind, nobody.UserId));
        var officer = await EventsAsync(DemoAccounts.Officer);
        Assert.Equal(5, officer.Count(e => e.Kind == SecurityEventKind.SignInFailed));
        Assert.Single(officer, e => e.Kind == SecurityEventKind.LockedOut);
    }

    [Fact]
    public async Task Role_two_factor_and_password_changes_are_logged_with_who_made_them()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var coordinator = (await users.FindByEmailAsync(DemoAccounts.Coordinator))!;
        var admin = new UserAdminService(
            scope.ServiceProvider.GetRequiredService<IDbContextFactory<CityPairsDbContext>>(), users, TestUsers.Administrator,
            TimeProvider.System, scope.ServiceProvider.GetRequiredService<ILogger<UserAdminService>>());

        Assert.True((await admin.SaveAsync(coordinator.Id, Roles.Facilitator, [], [])).Succeeded);
        coordinator = (await users.FindByEmailAsync(DemoAccounts.Coordinator))!;
        await users.ResetAuthenticatorKeyAsync(coordinator);
        await users.SetTwoFactorEnabledAsync(coordinator, true);
        await users.SetTwoFactorEnabledAsync(coordinator, false);
        await users.ResetPasswordAsync(coordinator, await users.GeneratePasswordResetTokenAsync(coordinator), "A-new-long-password-1");

        var events = await EventsAsync(DemoAccounts.Coordinator);
        Assert.Equal(
            [SecurityEventKind.RoleChanged, SecurityEventKind.TwoFactorEnabled, SecurityEventKind.TwoFactorDisabled, SecurityEventKind.PasswordChanged],
            events.Select(e => e.Kind));
        Assert.Equal($"From {Roles.CityCoordinator} to {Roles.Facilitator}", events[0].Detail);
        Assert.Equal(TestUsers.AdministratorName, events[0].ActorName);
    }

    [Fact]
    public async Task Only_an_administrator_reads_the_log_paged_and_filtered_by_person_and_kind()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        await using (var db = Database.CreateDbContext())
        {
            db.SecurityEvents.AddRange(Enumerable.Range(0, 30).Select(i => SecurityLogService.New(
                i % 3 == 0 ? SecurityEventKind.SignInFailed : SecurityEventKind.SignedIn, i % 2 == 0 ? "even@test.local" : "odd@test.local", null, $"#{i}",
                DateTimeOffset.UtcNow.AddMinutes(i), null)));
            await db.SaveChangesAsync();
        }

        await using var scope = app.Services.CreateAsyncScope();
        var log = scope.ServiceProvider.GetRequiredService<SecurityLogService>();
        foreach (var role in new[] { Roles.ProgrammeOfficer, Roles.CityCoordinator, Roles.Facilitator })
        {
            scope.ActAs(TestUsers.Principal("someone", "someone@test.local", role));
            Assert.Null(await log.ListAsync(new SecurityLogQuery()));
        }

        // An administrator's role without the second factor is not enough either.
        scope.ActAs(TestUsers.Principal("admin-pwd", "admin-pwd@test.local", Roles.Administrator, mfa: false));
        Assert.Null(await log.ListAsync(new SecurityLogQuery()));

        scope.ActAs(TestUsers.Principal("admin", TestUsers.AdministratorName, Roles.Administrator, mfa: true));
        // The demo data's own events (the administrator's authenticator) are not part of this.
        var first = (await log.ListAsync(new SecurityLogQuery("@test.local", PageSize: 10)))!;
        Assert.Equal(30, first.TotalCount);
        Assert.Equal("#29", first.Items[0].Detail);
        var failedEven = (await log.ListAsync(new SecurityLogQuery("EVEN@", SecurityEventKind.SignInFailed, 0, 10)))!;
        Assert.Equal(5, failedEven.TotalCount);
        Assert.All(failedEven.Items, e => Assert.Equal(("even@test.local", SecurityEventKind.SignInFailed), (e.Email, e.Kind)));
        var secondPage = (await log.ListAsync(new SecurityLogQuery("@test.local", PageSize: 25, Page: 1)))!;
        Assert.Equal(5, secondPage.Items.Count);
    }

    [Theory]
    [InlineData(DemoUser.Facilitator)]
    [InlineData(DemoUser.Officer)]
    [InlineData(DemoUser.Coordinator)]
    public async Task The_security_log_page_is_refused_to_everyone_but_administrators(DemoUser user)
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        using var client = app.CreateClient();
        await client.SignInAsync(user);

        using var response = await client.GetAsync(new Uri("/admin/security-log", UriKind.Relative));

        Assert.Equal("/Account/AccessDenied", response.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task The_security_log_page_opens_for_an_administrator()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        using var client = app.CreateClient();
        await client.SignInAsync(DemoUser.Administrator);

        using var response = await client.GetAsync(new Uri("/admin/security-log", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/admin/security-log", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("data-testid=\"security-log\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_authenticator_page_shows_a_qr_code_before_set_up_and_never_the_key_after()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        using var facilitator = app.CreateClient();
        await facilitator.SignInAsync(DemoUser.Facilitator);
        var before = await facilitator.GetStringAsync(new Uri("/Account/EnableAuthenticator", UriKind.Relative));
        Assert.Contains("data-testid=\"authenticator-qr\"", before, StringComparison.Ordinal);
        Assert.Contains("src=\"data:image/png;base64,", before, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"authenticator-key\"", before, StringComparison.Ordinal);

        using var admin = app.CreateClient();
        await admin.SignInAsync(DemoUser.Administrator);
        var after = await admin.GetStringAsync(new Uri("/Account/EnableAuthenticator", UriKind.Relative));

        Assert.Contains("data-testid=\"authenticator-already-set-up\"", after, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoAccounts.AdministratorAuthenticatorKey, after, StringComparison.Ordinal);
        Assert.DoesNotContain("authenticator-qr", after, StringComparison.Ordinal);
    }
}
