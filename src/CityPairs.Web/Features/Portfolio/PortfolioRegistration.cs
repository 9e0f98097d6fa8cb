using CityPairs.Web.Features.Dashboards;
using CityPairs.Web.Features.Map;

namespace CityPairs.Web;

/// <summary>The portfolio areas (dashboards, map, import, export, API) in one place, so the host files change by one line each.</summary>
internal static class PortfolioRegistration
{
    public static IServiceCollection AddPortfolio(this IServiceCollection services)
    {
        services.AddScoped<DashboardService>();
        services.AddScoped<MapService>();
        return services;
    }

    public static IEndpointRouteBuilder MapPortfolio(this IEndpointRouteBuilder app) => app;
}
