using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace CityPairs.Web.Features.Api;

/// <summary>
/// The OpenAPI document of /api/v1 (at /api/v1/openapi.json) and a browsable reference of it (at /api/reference).
/// Scalar serves its own script from the package (no CDN); its web fonts come from its CDN, so they are off.
/// </summary>
public static class ApiReference
{
    public const string DocumentPath = ApiV1.Prefix + "/openapi.json";
    public const string PagePath = "/api/reference";
    public const string BearerSchemeName = "Bearer";

    public static void AddCityPairsOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            // Only the versioned API; the pages, exports and account posts are not part of it.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.OrdinalIgnoreCase) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "CityPairs API";
                document.Info.Version = "v1";
                document.Info.Description =
                    "Cities, programmes, partnerships, exchanges and partner suggestions, authorized by the same rules as the web pages. " +
                    "Create a personal token under API tokens in your account and send it in the header \"Authorization: Bearer cpt_...\". " +
                    "Lists are paged: page (from 1) and pageSize (1 to 100, default 25).";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerSchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A personal API token (cpt_...) from the API tokens page. The sign-in cookie works too.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerSchemeName, document)] = [] }];
                return Task.CompletedTask;
            });
        });

    public static void MapCityPairsApiReference(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        app.MapScalarApiReference(PagePath, options =>
            {
                options
                    .WithTitle("CityPairs API")
                    .WithOpenApiRoutePattern(DocumentPath)
                    .DisableDefaultFonts()
                    .DisableTelemetry()
                    .AddPreferredSecuritySchemes(BearerSchemeName);
                // Its "Deploy", "Generate SDK" and "Ask AI" buttons talk to Scalar's cloud: nothing a user of an
                // offline installation can use, and nowhere to send a portfolio's API description.
                options.ShowDeveloperTools = DeveloperToolsVisibility.Never;
                options.Agent = new ScalarAgentOptions { Disabled = true };
            })
            .AllowAnonymous();
    }
}
