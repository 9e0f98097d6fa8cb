using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using CityPairs.Domain.Cities;
using CityPairs.TestSupport;
using CityPairs.Web.Data;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Accounts.ApiTokens;
using CityPairs.Web.Features.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CityPairs.IntegrationTests.Accounts;

/// <summary>
/// A token is worth what the sign-in that made it was worth, and no more: its "mfa" is the creating session's, an
/// administrator's token needs a two-factor session, and a password reset, role change or 2FA change ends it.
/// Each test uses the token once before the change, so the handler's cache is warm and must be forgotten.
/// </summary>
public sealed class ApiTokenSecurityTests(PostgresDatabase database) : DatabaseTest(database)
{
    private const string PrivateEmail = "token.test.private@example.org";

    private static HttpClient Bearer(CityPairsApp app, string secret)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<AppUser> AccountAsync(IServiceProvider services, DemoUser user) =>
        await services.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(user.Email()) ?? throw new InvalidOperationException(user.ToString());

    private static async Task AssertRevokedAsync(HttpClient client)
    {
        var (status, body) = await GetAsync(client, "/api/v1/cities?pageSize=1");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains(ApiTokenService.RevokedBySecurityChange, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_administrators_token_cannot_be_made_in_a_password_only_session()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        await using var scope = app.Services.CreateAsyncScope();
        var admin = await AccountAsync(scope.ServiceProvider, DemoUser.Administrator);
        // The session a new administrator has before they set up their authenticator: no "amr" = "mfa".
        var passwordOnly = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, admin.Id), new Claim(ClaimTypes.Name, admin.UserName!), new Claim(ClaimTypes.Role, Roles.Administrator), new Claim("amr", "pwd")], "Test"));
        scope.ActAs(passwordOnly);

        var result = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(new ApiTokenForm { Name = "admin script" });

        Assert.Equal(SaveProblem.Refused, result.Problem);
        Assert.Equal(ApiTokenService.AdministratorNeedsSecondFactor, result.Message);
        await using var db = Database.CreateDbContext();
        Assert.False(await db.ApiTokens.AnyAsync(t => t.UserId == admin.Id));
    }

    [Fact]
    public async Task A_tokens_second_factor_is_the_creating_sessions_not_the_accounts()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        var token = await app.CreateApiTokenAsync(DemoUser.Administrator, "admin script");
        var herent = await AddPrivateContactAsync("Herent");
        using var client = Bearer(app, token.Secret);
        Assert.Contains(PrivateEmail, (await GetAsync(client, $"/api/v1/cities/{herent}")).Body, StringComparison.Ordinal);

        // The same token, recorded as made without the second factor: the account still has 2FA, the token must not
        // borrow it. A fresh app, so nothing cached from the first use answers.
        await using (var db = Database.CreateDbContext())
        {
            await db.ApiTokens.Where(t => t.Id == token.Token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.CreatedWithSecondFactor, false));
        }

        await using var other = new CityPairsApp(Database.ConnectionString);
        using var otherClient = Bearer(other, token.Secret);
        var (status, body) = await GetAsync(otherClient, $"/api/v1/cities/{herent}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain(PrivateEmail, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_reset_revokes_the_accounts_tokens()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        var token = await app.CreateApiTokenAsync(DemoUser.Coordinator);
        using var client = Bearer(app, token.Secret);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/v1/cities?pageSize=1")).Status);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var account = await AccountAsync(scope.ServiceProvider, DemoUser.Coordinator);
            var reset = await users.ResetPasswordAsync(account, await users.GeneratePasswordResetTokenAsync(account), "A-new-long-password-1");
            Assert.True(reset.Succeeded);
        }

        await AssertRevokedAsync(client);
        await using var db = Database.CreateDbContext();
        var stored = await db.ApiTokens.SingleAsync(t => t.Id == token.Token.Id);
        Assert.NotNull(stored.RevokedAt);
        Assert.Equal(ApiTokenService.RevokedBySecurityChange, stored.RevokedReason);
    }

    [Fact]
    public async Task Opening_the_authenticator_set_up_keeps_the_session_and_the_tokens_until_two_factor_is_enabled()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        var token = await app.CreateApiTokenAsync(DemoUser.Coordinator);
        using var bearer = Bearer(app, token.Secret);
        var cookies = new System.Net.CookieContainer();
        using (var signIn = app.CreateDefaultClient(new RedirectHandler(), new CookieContainerHandler(cookies)))
        {
            await signIn.SignInAsync(DemoUser.Coordinator);
        }

        string stampBefore;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            stampBefore = (await AccountAsync(scope.ServiceProvider, DemoUser.Coordinator)).SecurityStamp!;
        }

        using var browser = app.CreateDefaultClient(new CookieContainerHandler(cookies));
        var page = await browser.GetStringAsync(new Uri("/Account/EnableAuthenticator", UriKind.Relative));
        Assert.Contains("data:image/png;base64,", page, StringComparison.Ordinal);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var account = await AccountAsync(scope.ServiceProvider, DemoUser.Coordinator);
            Assert.Equal(stampBefore, account.SecurityStamp);
            Assert.False(string.IsNullOrEmpty(await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().GetAuthenticatorKeyAsync(account)));
        }

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(bearer, "/api/v1/cities?pageSize=1")).Status);
        await using var db = Database.CreateDbContext();
        Assert.Null((await db.ApiTokens.SingleAsync(t => t.Id == token.Token.Id)).RevokedAt);
    }

    [Fact]
    public async Task A_role_change_revokes_the_accounts_tokens()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        var token = await app.CreateApiTokenAsync(DemoUser.Facilitator);
        using var client = Bearer(app, token.Secret);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/v1/cities?pageSize=1")).Status);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var admin = new UserAdminService(
                scope.ServiceProvider.GetRequiredService<IDbContextFactory<CityPairsDbContext>>(), users, TestUsers.Administrator,
                TimeProvider.System, scope.ServiceProvider.GetRequiredService<ILogger<UserAdminService>>());
            var saved = await admin.SaveAsync((await AccountAsync(scope.ServiceProvider, DemoUser.Facilitator)).Id, Roles.ProgrammeOfficer, [], []);
            Assert.True(saved.Succeeded, saved.Message);
        }

        await AssertRevokedAsync(client);
    }

    [Fact]
    public async Task Enrolling_two_factor_sign_in_revokes_the_tokens_made_without_it()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        var token = await app.CreateApiTokenAsync(DemoUser.Officer);
        using var client = Bearer(app, token.Secret);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/v1/cities?pageSize=1")).Status);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var officer = await AccountAsync(scope.ServiceProvider, DemoUser.Officer);
            await users.ResetAuthenticatorKeyAsync(officer);
            Assert.True((await users.SetTwoFactorEnabledAsync(officer, true)).Succeeded);
        }

        await AssertRevokedAsync(client);
    }

    [Fact]
    public async Task Switching_two_factor_sign_in_off_revokes_the_accounts_tokens()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        var token = await app.CreateApiTokenAsync(DemoUser.Administrator);
        using var client = Bearer(app, token.Secret);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/v1/cities?pageSize=1")).Status);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.True((await users.SetTwoFactorEnabledAsync(await AccountAsync(scope.ServiceProvider, DemoUser.Administrator), false)).Succeeded);
        }

        await AssertRevokedAsync(client);
    }

    [Fact]
    public async Task A_security_stamp_changed_outside_the_app_still_ends_the_token()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        var token = await app.CreateApiTokenAsync(DemoUser.Coordinator);
        await using (var db = Database.CreateDbContext())
        {
            await db.Users.Where(u => u.Email == DemoAccounts.Coordinator).ExecuteUpdateAsync(s => s.SetProperty(u => u.SecurityStamp, "changed by an operator"));
        }

        using var client = Bearer(app, token.Secret);

        await AssertRevokedAsync(client);
    }

    private async Task<int> AddPrivateContactAsync(string cityName)
    {
        await using var db = Database.CreateDbContext();
        var cityId = await db.Cities.Where(c => c.Name == cityName).Select(c => c.Id).SingleAsync();
        db.CityContacts.Add(new CityContact { CityId = cityId, Name = "Token Test", Role = "Twinning desk", Email = PrivateEmail, ActiveFrom = new DateOnly(2022, 1, 1) });
        await db.SaveChangesAsync();
        return cityId;
    }
}
