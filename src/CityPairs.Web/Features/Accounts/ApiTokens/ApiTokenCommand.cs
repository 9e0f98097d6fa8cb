using Microsoft.AspNetCore.Identity;

namespace CityPairs.Web.Features.Accounts.ApiTokens;

/// <summary>
/// `api-token EMAIL NAME [DAYS]`: issues a token for a script or a load test run by an operator on the server,
/// where nobody can click through the API tokens page. It is that person's token (same roles and scope, audited
/// as created by them) and the secret is printed once, on the last line, for a shell to capture.
/// </summary>
public static class ApiTokenCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, string email, string name, string? days)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            await Console.Error.WriteLineAsync($"There is no account {email}.");
            return 1;
        }

        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync(user);
        var tokens = ActivatorUtilities.CreateInstance<ApiTokenService>(scope.ServiceProvider, new FixedUser(principal));
        var form = new ApiTokenForm { Name = name };
        if (days is not null)
        {
            if (!int.TryParse(days, out var parsed))
            {
                await Console.Error.WriteLineAsync($"DAYS must be a whole number of days, not '{days}'.");
                return 1;
            }

            form.Days = parsed;
        }

        var result = await tokens.CreateAsync(form);
        if (!result.Succeeded)
        {
            // An administrator's token needs a session that passed the second factor, which a command line is not.
            var errors = result.Errors.Count > 0 ? string.Join(" ", result.Errors.Select(e => e.Message))
                : result.Message == ApiTokenService.AdministratorNeedsSecondFactor ? "An administrator creates their tokens on the API tokens page, signed in with their authenticator code."
                : result.Message;
            await Console.Error.WriteLineAsync($"No token was created: {errors}");
            return 1;
        }

        await Console.Out.WriteLineAsync($"Token '{result.Value!.Token.Name}' for {email}, valid until {result.Value.Token.ExpiresAt:yyyy-MM-dd}. It is shown only now:");
        await Console.Out.WriteLineAsync(result.Value.Secret);
        return 0;
    }
}
