using CityPairs.Web.Features.Dashboards;
using CityPairs.Web.Features.Export;
using CityPairs.Web.Features.Export.Pdf;
using CityPairs.Web.Features.Import;
using CityPairs.Web.Features.Map;

namespace CityPairs.Web;

/// <summary>The portfolio areas (dashboards, map, import, export, API) in one place, so the host files change by one line each.</summary>
internal static class PortfolioRegistration
{
    public static IServiceCollection AddPortfolio(this IServiceCollection services)
    {
        services.AddScoped<DashboardService>();
        services.AddScoped<MapService>();
        services.AddScoped<PortfolioExport>();
        services.AddScoped<ImportService>();
        services.AddScoped<CityImport>();
        services.AddScoped<PartnershipImport>();
        services.AddScoped<PartnershipSummary>();
        services.AddScoped<PortfolioWorkbook>();
        services.AddScoped<PortfolioImport>();
        services.AddSingleton<Features.Gazetteer.GazetteerLoader>();
        services.AddSingleton<Features.Gazetteer.GazetteerService>();
        return services;
    }

    public static IEndpointRouteBuilder MapPortfolio(this IEndpointRouteBuilder app)
    {
        app.MapExport();
        app.MapPartnershipSummary();
        return app;
    }
}
