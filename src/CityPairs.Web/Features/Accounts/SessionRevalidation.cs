using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CityPairs.Web.Features.Accounts;

/// <summary>
/// Ends a person's sessions soon after an administrator changes their role (which renews their security stamp)
/// or locks them out. Cookies are checked by Identity's security-stamp validator; a Blazor circuit keeps the
/// principal it started with, so it is checked here on the same interval and falls back to signed-out.
/// </summary>
public static class SessionRevalidation
{
    /// <summary>Configuration key; one minute by default: a role change takes effect within a minute everywhere.</summary>
    public const string IntervalKey = "Accounts:SessionRevalidationSeconds";

    /// <summary>How the sign-in was made ("mfa" after an authenticator code); AccessRules requires it of administrators.</summary>
    private const string SecondFactorClaim = "amr";

    public static TimeSpan Interval(IConfiguration configuration) =>
        TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue(IntervalKey, 60)));

    public static IServiceCollection AddSessionRevalidation(this IServiceCollection services, IConfiguration configuration)
    {
        var interval = Interval(configuration);
        services.Configure<SecurityStampValidatorOptions>(options =>
        {
            options.ValidationInterval = interval;
            // Each successful check rebuilds the principal from the store, which drops the sign-in's "amr" claim;
            // without it an administrator who signed in with their authenticator would lose the role's rights.
            options.OnRefreshingPrincipal = context =>
            {
                if (context.CurrentPrincipal?.FindFirst(SecondFactorClaim) is { } amr &&
                    context.NewPrincipal?.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == SecondFactorClaim))
                {
                    identity.AddClaim(new Claim(SecondFactorClaim, amr.Value));
                }

                return Task.CompletedTask;
            };
        });
        services.AddScoped<AuthenticationStateProvider>(sp => new CircuitRevalidation(
            sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<IOptions<IdentityOptions>>(), interval));
        return services;
    }

    /// <summary>True while the account exists, is not locked out and its security stamp is the one signed in with.</summary>
    public static async Task<bool> IsStillValidAsync(UserManager<AppUser> users, ClaimsPrincipal principal, IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(options);
        var user = await users.GetUserAsync(principal);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            return false;
        }

        if (!users.SupportsUserSecurityStamp)
        {
            return true;
        }

        var signedInWith = principal.FindFirstValue(options.ClaimsIdentity.SecurityStampClaimType);
        return signedInWith == await users.GetSecurityStampAsync(user);
    }

    private sealed class CircuitRevalidation(
        ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> options, TimeSpan interval)
        : RevalidatingServerAuthenticationStateProvider(loggerFactory)
    {
        protected override TimeSpan RevalidationInterval => interval;

        protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
        {
            // The circuit outlives any request scope; Identity's stores need a fresh context each time.
            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            try
            {
                return await IsStillValidAsync(users, authenticationState.User, options.Value);
            }
            catch (Exception ex) when (Common.DatabaseOutage.Is(ex))
            {
                // An outage says nothing about the session: signing every open tab out would lose what people typed.
                // The stamp is checked again at the next interval, once the database answers.
                return true;
            }
        }
    }
}
