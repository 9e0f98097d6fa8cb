using System.Net;
using CityPairs.TestSupport;
using CityPairs.Web.Data.Seeding;
using CityPairs.Web.Features.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CityPairs.IntegrationTests.Accounts;

/// <summary>Sign-in, lockout, password reset, headers, rate limits and the shared key ring, over HTTP against the app.</summary>
public sealed class SecurityTests(PostgresDatabase database) : DatabaseTest(database)
{
    private static Dictionary<string, string> Credentials(string email, string password) =>
        new() { ["Input.Email"] = email, ["Input.Password"] = password };

    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/Account/Login", UriKind.Relative));

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task A_role_change_ends_the_persons_open_session()
    {
        await using var app = new CityPairsApp(Database.ConnectionString, new Dictionary<string, string> { [SessionRevalidation.IntervalKey] = "1" });
        using var client = app.CreateClient();
        await client.SignInAsync(DemoUser.Facilitator);
        using (var before = await client.GetAsync(new Uri("/matches", UriKind.Relative)))
        {
            Assert.Equal("/matches", before.RequestMessage!.RequestUri!.AbsolutePath);
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var facilitator = await users.FindByEmailAsync(DemoAccounts.Facilitator);
            var admin = new UserAdminService(
                scope.ServiceProvider.GetRequiredService<IDbContextFactory<Web.Data.CityPairsDbContext>>(), users, TestUsers.Administrator,
                TimeProvider.System, scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<UserAdminService>>());
            var saved = await admin.SaveAsync(facilitator!.Id, Roles.CityCoordinator, [], []);
            Assert.True(saved.Succeeded, saved.Message);
        }

        // The cookie still looks valid; the stamp check after the interval turns it away.
        await Task.Delay(TimeSpan.FromSeconds(2));
        using var after = await client.GetAsync(new Uri("/matches", UriKind.Relative));

        Assert.Equal("/Account/Login", after.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task An_administrator_keeps_their_rights_when_the_session_is_revalidated()
    {
        await using var app = new CityPairsApp(Database.ConnectionString, new Dictionary<string, string> { [SessionRevalidation.IntervalKey] = "1" });
        using var client = app.CreateClient();
        await client.SignInAsync(DemoUser.Administrator);

        // After the interval the cookie is checked against the store and reissued; the second factor must survive.
        await Task.Delay(TimeSpan.FromSeconds(2));
        using var after = await client.GetAsync(new Uri("/admin/users", UriKind.Relative));

        Assert.Equal("/admin/users", after.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        using var client = app.CreateClient();
        for (var i = 1; i <= 5; i++)
        {
            using var wrong = await SignIn.PostFormAsync(client, "/Account/Login", Credentials(DemoAccounts.Facilitator, "not the password at all"));
            Assert.Equal(i < 5 ? "/Account/Login" : "/Account/Lockout", wrong.RequestMessage!.RequestUri!.AbsolutePath);
        }

        using var right = await SignIn.PostFormAsync(client, "/Account/Login", Credentials(DemoAccounts.Facilitator, DemoAccounts.Password));

        Assert.Equal("/Account/Lockout", right.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task Sign_in_posts_beyond_the_limit_are_refused_with_429()
    {
        await using var app = new CityPairsApp(Database.ConnectionString, new Dictionary<string, string> { ["RateLimits:SignInPerMinute"] = "3" });
        using var client = app.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await SignIn.PostFormAsync(client, "/Account/Login", Credentials("nobody@test.local", "wrong password 123"));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_password_is_reset_through_the_emailed_link_and_must_have_twelve_characters()
    {
        var mail = new CapturingEmailSender();
        await using var root = new CityPairsApp(Database.ConnectionString);
        await using var app = root.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IEmailSender<AppUser>>(mail)));
        using var client = app.CreateClient();

        using var sent = await SignIn.PostFormAsync(client, "/Account/ForgotPassword", new() { ["Input.Email"] = DemoAccounts.Coordinator });
        Assert.Contains("data-testid=\"reset-sent\"", await sent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var link = new Uri(Assert.Single(mail.Links)).PathAndQuery;

        using var tooShort = await SignIn.PostFormAsync(client, link, new() { ["Input.Password"] = "short-pass1", ["Input.ConfirmPassword"] = "short-pass1" });
        Assert.DoesNotContain("data-testid=\"reset-done\"", await tooShort.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var reset = await SignIn.PostFormAsync(client, link, new() { ["Input.Password"] = "A-new-long-password-1", ["Input.ConfirmPassword"] = "A-new-long-password-1" });
        Assert.Contains("data-testid=\"reset-done\"", await reset.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var signedIn = await SignIn.PostFormAsync(client, "/Account/Login", Credentials(DemoAccounts.Coordinator, "A-new-long-password-1"));
        Assert.Equal("/", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task Signing_out_needs_the_form_s_antiforgery_token()
    {
        await using var app = new CityPairsApp(Database.ConnectionString);
        using var client = app.CreateClient();
        await client.SignInAsync(DemoUser.Officer);

        using var forged = await client.PostAsync(new Uri("/Account/Logout", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task A_sign_in_made_by_one_instance_is_accepted_by_another_through_the_shared_key_ring()
    {
        await using var first = new CityPairsApp(Database.ConnectionString);
        var cookies = new CookieContainer();
        using (var client = first.CreateDefaultClient(new RedirectHandler(), new CookieContainerHandler(cookies)))
        {
            await client.SignInAsync(DemoUser.Officer);
        }

        await using (var db = Database.CreateDbContext())
        {
            Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync());
        }

        await using var second = new CityPairsApp(Database.ConnectionString);
        using var other = second.CreateDefaultClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/cities", UriKind.Relative));
        request.Headers.Add("Cookie", cookies.GetCookieHeader(first.Server.BaseAddress));
        using var response = await other.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private sealed class CapturingEmailSender : IEmailSender<AppUser>
    {
        public List<string> Links { get; } = [];

        public Task SendConfirmationLinkAsync(AppUser user, string email, string confirmationLink) => Task.CompletedTask;

        public Task SendPasswordResetLinkAsync(AppUser user, string email, string resetLink)
        {
            Links.Add(resetLink);
            return Task.CompletedTask;
        }

        public Task SendPasswordResetCodeAsync(AppUser user, string email, string resetCode) => Task.CompletedTask;
    }
}
