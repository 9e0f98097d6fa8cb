using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace CityPairs.Web.Hosting;

/// <summary>
/// Slows down password guessing (every form post of the account pages, per client address) and API scraping
/// (per signed-in user). Limits come from configuration (RateLimits:SignInPerMinute, RateLimits:ApiPerMinute).
/// </summary>
public static class RateLimits
{
    public const string Api = "api";

    public static void AddCityPairsRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var signInPerMinute = configuration.GetValue("RateLimits:SignInPerMinute", 10);
        var apiPerMinute = configuration.GetValue("RateLimits:ApiPerMinute", 120);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/Account", StringComparison.OrdinalIgnoreCase)
                    && !context.Request.Path.StartsWithSegments("/Account/Logout", StringComparison.OrdinalIgnoreCase)
                    ? RateLimitPartition.GetFixedWindowLimiter("sign-in " + context.Connection.RemoteIpAddress, _ => Window(signInPerMinute))
                    : RateLimitPartition.GetNoLimiter(""));
            options.AddPolicy(Api, context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.Identity?.Name ?? "anonymous " + context.Connection.RemoteIpAddress, _ => Window(apiPerMinute)));
        });
    }

    private static FixedWindowRateLimiterOptions Window(int permits) =>
        new() { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 };
}
