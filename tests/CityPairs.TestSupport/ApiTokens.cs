using System.Net.Http.Headers;
using System.Security.Claims;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Accounts.ApiTokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CityPairs.TestSupport;

/// <summary>API tokens for the demo users, created through the app's own token service as that user.</summary>
public static class ApiTokens
{
    public static async Task<CreatedApiToken> CreateApiTokenAsync<TEntryPoint>(this WebApplicationFactory<TEntryPoint> app, DemoUser user, string name = "test script", int days = 90)
        where TEntryPoint : class
    {
        ArgumentNullException.ThrowIfNull(app);
        using var scope = app.Services.CreateScope();
        var service = await ServiceForAsync(scope.ServiceProvider, user);
        var result = await service.CreateAsync(new ApiTokenForm { Name = name, Days = days });
        return result.Value ?? throw new InvalidOperationException($"No token for {user}: {result.Problem} {result.Message}");
    }

    public static async Task RevokeApiTokenAsync<TEntryPoint>(this WebApplicationFactory<TEntryPoint> app, DemoUser user, int tokenId)
        where TEntryPoint : class
    {
        ArgumentNullException.ThrowIfNull(app);
        using var scope = app.Services.CreateScope();
        var result = await (await ServiceForAsync(scope.ServiceProvider, user)).RevokeAsync(tokenId);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not revoke token {tokenId}: {result.Message}");
        }
    }

    /// <summary>A client on the app's real port that sends this token with every request (or none for Anonymous).</summary>
    public static HttpClient BearerClient(this CityPairsApp app, string? secret)
    {
        ArgumentNullException.ThrowIfNull(app);
        var client = new HttpClient { BaseAddress = app.BaseAddress };
        if (secret is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }

        return client;
    }

    private static async Task<ApiTokenService> ServiceForAsync(IServiceProvider services, DemoUser user)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var account = await users.FindByEmailAsync(user.Email()) ?? throw new InvalidOperationException($"No demo account for {user}.");
        // As the person's own session would be: an account with a second factor can only sign in with it.
        List<Claim> claims = [new(ClaimTypes.NameIdentifier, account.Id), new(ClaimTypes.Name, account.UserName!)];
        if (account.TwoFactorEnabled)
        {
            claims.Add(new Claim(AccessRules.AuthenticationMethodClaim, AccessRules.SecondFactor));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "Test"));
        return ActivatorUtilities.CreateInstance<ApiTokenService>(services, new FixedUser(principal));
    }
}
