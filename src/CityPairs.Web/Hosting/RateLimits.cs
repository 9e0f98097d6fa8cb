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
                    ? RateLimitPartition.GetFixedWindowLimiter("sign-in " + ClientOf(context), _ => Window(signInPerMinute))
                    : RateLimitPartition.GetNoLimiter(""));
            options.AddPolicy(Api, context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.Identity?.Name ?? "anonymous " + ClientOf(context), _ => Window(apiPerMinute)));
        });
    }

    /// <summary>
    /// The client a limit counts: the real client's address once ReverseProxy's forwarded headers have been applied
    /// (behind a proxy the connection's own address is the proxy's, one bucket for everyone). An IPv6 client counts
    /// by its /64, as one host is usually given a whole /64 and could otherwise rotate addresses within it.
    /// </summary>
    public static string ClientOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new System.Net.IPAddress(bytes) + "/64";
        }

        return address.ToString();
    }

    private static FixedWindowRateLimiterOptions Window(int permits) =>
        new() { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 };
}
