using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using System.Security.Claims;
using CityPairs.Web.Features.Accounts;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CityPairs.TestSupport;

/// <summary>
/// The real app on a real Kestrel port (browsers cannot reach the in-memory test server), in Development
/// so it migrates and loads the demo data into the test database at start.
/// </summary>
public sealed class CityPairsApp(string connectionString, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    public Uri BaseAddress { get; private set; } = null!;

    public void Start()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:CityPairs", connectionString);
        // Request logs of every browser test would drown the test output.
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware", "Warning");
        // Tests sign in many times from one address; the limit itself has a test of its own.
        builder.UseSetting("RateLimits:SignInPerMinute", "10000");
        builder.UseSetting("RateLimits:ApiPerMinute", "10000");
        // Several apps run at once (and beside ./build.sh run): each one's development mail server takes a free port.
        builder.UseSetting("Mail:Port", "0");
        // Services resolved from the app's own container act as whoever a test says (see ActAs); unset, the app's
        // own CurrentUser answers, so browser and API requests are untouched.
        builder.ConfigureTestServices(services =>
        {
            services.AddScoped<CurrentUser>();
            services.AddScoped<SettableCurrentUser>();
            services.AddScoped<ICurrentUser>(provider => provider.GetRequiredService<SettableCurrentUser>());
        });
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>A scope's user, set by a test that resolves services from the real container.</summary>
public sealed class SettableCurrentUser(CurrentUser app) : ICurrentUser
{
    public ClaimsPrincipal? User { get; set; }

    public Task<ClaimsPrincipal> GetAsync() => User is { } user ? Task.FromResult(user) : app.GetAsync();
}

public static class ScopeExtensions
{
    /// <summary>Services from this scope act as <paramref name="user"/>, as if they had signed in.</summary>
    public static IServiceScope ActAs(this IServiceScope scope, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(scope);
        scope.ServiceProvider.GetRequiredService<SettableCurrentUser>().User = user;
        return scope;
    }
}
