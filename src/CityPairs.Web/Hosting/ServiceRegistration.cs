using System.Globalization;
using CityPairs.Web.Components;
using CityPairs.Web.Data;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Exchanges;
using CityPairs.Web.Features.Matching;
using CityPairs.Web.Features.Partnerships;
using CityPairs.Web.Features.Programmes;
using CityPairs.Web.Hosting;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
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
        services.AddPooledDbContextFactory<CityPairsDbContext>((sp, options) =>
        {
            DatabaseSetup.Configure(options, connectionString);
            options.AddInterceptors(sp.GetRequiredService<TimestampInterceptor>(), sp.GetRequiredService<MatchingRefreshInterceptor>());
        });

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.AddValidatorsFromAssemblyContaining<Program>(includeInternalTypes: true);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();

        services.AddScoped<CityService>();
        // One snapshot of every active city's profile for the whole app, kept current by MatchingRefreshInterceptor.
        services.AddSingleton<MatchingService>();
        services.AddHostedService<CityChangeFeed>();
        services.AddScoped<ProgrammeService>();
        services.AddScoped<Lookups>();
        services.AddScoped<PartnershipService>();
        services.AddScoped<ExchangeService>();
        services.AddPortfolio();
    }

    public static void UseCityPairsPipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseSerilogRequestLogging();
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("en-GB"),
            SupportedCultures = [new CultureInfo("en-GB")],
            SupportedUICultures = [new CultureInfo("en-GB")],
        });
        app.UseAntiforgery();
        app.MapStaticAssets();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

        app.MapMatchingApi();
        app.MapPortfolio();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
