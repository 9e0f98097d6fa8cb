using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using CityPairs.Web.Data;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace CityPairs.Web.Hosting;

/// <summary>
/// Running behind a TLS-terminating proxy (nginx, Caddy, a cloud load balancer). The proxy's X-Forwarded-For and
/// X-Forwarded-Proto are believed only from the addresses configured in <c>ReverseProxy:KnownProxies</c> (single
/// addresses) and <c>ReverseProxy:KnownNetworks</c> (CIDR ranges); with neither configured only a proxy on the same
/// machine (loopback) is believed, ASP.NET Core's default. Anyone else sending those headers is ignored, or a client
/// could pick the address the sign-in rate limit counts it under. Outside Development every cookie is Secure and
/// HSTS is sent (on requests the proxy says came over https).
/// </summary>
public static class ReverseProxy
{
    public const string Section = "ReverseProxy";

    public static void AddCityPairsReverseProxy(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var proxies = configuration.GetSection($"{Section}:KnownProxies").Get<string[]>() ?? [];
        var networks = configuration.GetSection($"{Section}:KnownNetworks").Get<string[]>() ?? [];
        var forwardLimit = configuration.GetValue<int?>($"{Section}:ForwardLimit") ?? 1;
        var parsedProxies = proxies.Select(p => IPAddress.TryParse(p.Trim(), out var address)
            ? address : throw new StartupException($"{Section}:KnownProxies has '{p}', which is not an IP address.")).ToList();
        var parsedNetworks = networks.Select(n => IPNetwork.TryParse(n.Trim(), out var network)
            ? network : throw new StartupException($"{Section}:KnownNetworks has '{n}', which is not a network in CIDR form (10.0.0.0/8).")).ToList();

        services.Configure<ForwardedHeadersOptions>(options =>
        {
            // Host is left alone: links are built from the configured public address, and AllowedHosts guards Host.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = forwardLimit;
            if (parsedProxies.Count > 0 || parsedNetworks.Count > 0)
            {
                // Configured addresses replace the loopback defaults rather than adding to them.
                options.KnownProxies.Clear();
                options.KnownIPNetworks.Clear();
                parsedProxies.ForEach(options.KnownProxies.Add);
                parsedNetworks.ForEach(options.KnownIPNetworks.Add);
            }
        });

        if (!environment.IsDevelopment())
        {
            // Every cookie (sign-in, two-factor step, antiforgery) only over https: behind the proxy the request is
            // https as far as the app knows once X-Forwarded-Proto is believed.
            services.PostConfigureAll<CookieAuthenticationOptions>(options => options.Cookie.SecurePolicy = CookieSecurePolicy.Always);
            services.Configure<AntiforgeryOptions>(options => options.Cookie.SecurePolicy = CookieSecurePolicy.Always);
            services.AddHsts(options =>
            {
                options.MaxAge = TimeSpan.FromDays(365);
                options.IncludeSubDomains = configuration.GetValue($"{Section}:HstsIncludeSubDomains", false);
            });
        }
    }

    /// <summary>First in the pipeline: everything after it (HSTS, cookies, rate limits, logs) sees the real client.</summary>
    public static IApplicationBuilder UseCityPairsForwardedHeaders(this IApplicationBuilder app) => app.UseForwardedHeaders();
}
