using System.Globalization;
using CityPairs.Web.Components;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Accounts;
using CityPairs.Web.Features.Accounts.ApiTokens;
using CityPairs.Web.Features.Api;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Exchanges;
using CityPairs.Web.Features.Invitations;
using CityPairs.Web.Features.Matching;
using CityPairs.Web.Features.Notifications;
using CityPairs.Web.Features.Partnerships;
using CityPairs.Web.Features.Programmes;
using CityPairs.Web.Hosting;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;
using Serilog;

namespace CityPairs.Web;

internal static class ServiceRegistration
{
    public static void AddCityPairsLogging(this WebApplicationBuilder builder) =>
        // No bootstrap logger: it is frozen once and breaks when several hosts start in one test run.
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext());

    public static void AddCityPairsServices(this WebApplicationBuilder builder, string connectionString)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<TimestampInterceptor>();
        services.AddSingleton<MatchingRefreshInterceptor>();
        services.AddSingleton<AuditInterceptor>();
        services.AddSingleton<SecurityStampRevocation>();
        services.AddSingleton<Features.Accounts.SecurityLog.AccountChangeRecorder>();
        services.AddPooledDbContextFactory<CityPairsDbContext>((sp, options) =>
        {
            DatabaseSetup.Configure(options, connectionString);
            // SecurityStampRevocation before AuditInterceptor: the tokens it revokes are audited with the change.
            options.AddInterceptors(
                sp.GetRequiredService<TimestampInterceptor>(), sp.GetRequiredService<MatchingRefreshInterceptor>(),
                sp.GetRequiredService<SecurityStampRevocation>(), sp.GetRequiredService<Features.Accounts.SecurityLog.AccountChangeRecorder>(),
                sp.GetRequiredService<AuditInterceptor>());
        });

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.AddValidatorsFromAssemblyContaining<Program>(includeInternalTypes: true);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();

        services.AddScoped<CityService>();
        // One snapshot of every active city's profile for the whole app, kept current by MatchingRefreshInterceptor
        // and CityChangeFeed. It reads through a pool of its own without interceptors: it never saves, and the
        // refresh interceptor (part of the app's factory) holds the snapshot.
        services.AddSingleton(sp =>
        {
            var options = new DbContextOptionsBuilder<CityPairsDbContext>();
            DatabaseSetup.Configure(options, connectionString);
            return new MatchingSnapshotCache(
                new PooledDbContextFactory<CityPairsDbContext>(options.Options), sp.GetRequiredService<ILogger<MatchingSnapshotCache>>(),
                sp.GetRequiredService<TimeProvider>());
        });
        services.AddScoped<MatchingService>();
        services.AddHostedService<CityChangeFeed>();
        services.AddScoped<ProgrammeService>();
        services.AddScoped<Lookups>();
        services.AddScoped<PartnershipService>();
        services.AddScoped<ExchangeService>();
        services.AddScoped<Features.Calls.CallService>();
        services.AddPortfolio();
        services.AddScoped<Features.Directory.DirectoryService>();
        services.AddScoped<Features.Audit.AuditService>();
        services.AddOptions<Features.Notifications.PublicLinkOptions>().BindConfiguration(Features.Notifications.PublicLinkOptions.Section);
        services.AddSingleton<Features.Notifications.Notifier>();
        builder.AddNotifications();
        services.AddInvitations();

        services.AddCityPairsAccounts();
        services.AddSessionRevalidation(builder.Configuration);
        services.AddCityPairsRateLimits(builder.Configuration);
        services.AddCityPairsReverseProxy(builder.Configuration, builder.Environment);
        services.AddCityPairsKeyRingProtection(builder.Configuration, builder.Environment);
        services.AddCityPairsApi();
        services.AddCityPairsOpenApi();
    }

    /// <summary>Identity on PostgreSQL with cookie sign-in, the policies, and the key ring shared by every instance.</summary>
    private static void AddCityPairsAccounts(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddCascadingAuthenticationState();
        services.AddScoped<ICurrentUser, CurrentUser>();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<UserAdminService>();
        services.AddScoped<Features.Accounts.SecurityLog.SecurityLogService>();
        services.AddSingleton<IEmailSender<AppUser>, OutboxEmailSender>();

        // Identity's stores want a context per request; the pool hands one out and takes it back with the scope.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<CityPairsDbContext>>().CreateDbContext());
        var authentication = services.AddAuthentication(options =>
            {
                // The cookie, except for /api requests that carry a Bearer token (Features/Accounts/ApiTokens).
                options.DefaultScheme = ApiAuthentication.CookieOrBearer;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            });
        authentication.AddIdentityCookies();
        // After the cookies: it wraps the events AddIdentityCookies sets.
        authentication.AddApiTokens();
        services.AddIdentityCore<AppUser>(options =>
            {
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CityPairsDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/Account/Login";
            options.LogoutPath = "/Account/Logout";
            options.AccessDeniedPath = "/Account/AccessDenied";
            options.Cookie.Name = "CityPairs.Auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
        });
        services.AddCityPairsPolicies();

        services.AddDataProtection().SetApplicationName("CityPairs");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IDbContextFactory<CityPairsDbContext>>((options, factory) => options.XmlRepository = new DatabaseXmlRepository(factory));
    }

    public static void UseCityPairsPipeline(this WebApplication app)
    {
        app.UseCityPairsForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseSecurityHeaders();
        app.UseSerilogRequestLogging();
        app.UseApiErrors();
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("en-GB"),
            SupportedCultures = [new CultureInfo("en-GB")],
            SupportedUICultures = [new CultureInfo("en-GB")],
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();

        app.MapAccountEndpoints();
        app.MapApiV1().MapMatchingApi();
        app.MapCityPairsApiReference();
        app.MapPortfolio();
        app.MapNotifications();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
