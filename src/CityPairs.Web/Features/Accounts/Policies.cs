using System.Globalization;
using Microsoft.AspNetCore.Authorization;

namespace CityPairs.Web.Features.Accounts;

/// <summary>
/// Every policy the pages and endpoints name. Record policies take the record's id from the route
/// (endpoint authorization passes the HttpContext, AuthorizeRouteView passes RouteData) or as an int resource
/// (a page or a service asking about one record); the decision itself is <see cref="AccessRules"/>'s.
/// Anything without a policy needs a signed-in user: the fallback policy for requests, and for pages the
/// [Authorize] that _Imports.razor gives every component, since a navigation inside a circuit makes no request.
/// </summary>
public static class Policies
{
    public const string Administrator = nameof(Administrator);
    public const string CanRegisterCity = nameof(CanRegisterCity);
    public const string CanEditCity = nameof(CanEditCity);
    public const string CanRegisterProgramme = nameof(CanRegisterProgramme);
    public const string CanManageProgramme = nameof(CanManageProgramme);
    public const string CanProposePartnership = nameof(CanProposePartnership);
    public const string CanEditPartnership = nameof(CanEditPartnership);
    public const string CanLogExchange = nameof(CanLogExchange);
    public const string CanUseMatches = nameof(CanUseMatches);
    public const string CanReadCalls = nameof(CanReadCalls);
    public const string CanPublishCall = nameof(CanPublishCall);

    public static void AddCityPairsPolicies(this IServiceCollection services)
    {
        services.AddSingleton<AccessRules>();
        // Scoped: the handler tells the circuit (or request) it served when the database could not answer.
        services.AddScoped<AuthorizationOutage>();
        services.AddScoped<IAuthorizationHandler, RecordHandler>();
        services.AddAuthorizationBuilder()
            // Anything that names no policy needs a signed-in user, except Blazor's own plumbing: the circuit hub
            // and framework scripts carry no data, and an anonymous visitor of the public directory needs them.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAssertion(c =>
                c.User.Identity?.IsAuthenticated == true ||
                (c.Resource is HttpContext http && (http.Request.Path.StartsWithSegments("/_blazor") || http.Request.Path.StartsWithSegments("/_framework")))).Build())
            .AddPolicy(Administrator, p => p.RequireAuthenticatedUser().RequireAssertion(c => AccessRules.IsAdministrator(c.User)))
            .AddPolicy(CanRegisterCity, p => p.RequireAuthenticatedUser().RequireAssertion(c => AccessRules.CanRegisterCity(c.User)))
            .AddPolicy(CanRegisterProgramme, p => p.RequireAuthenticatedUser().RequireAssertion(c => AccessRules.CanRegisterProgramme(c.User)))
            .AddPolicy(CanProposePartnership, p => p.RequireAuthenticatedUser().RequireAssertion(c => AccessRules.CanProposePartnership(c.User)))
            .AddPolicy(CanUseMatches, p => p.RequireAuthenticatedUser().RequireAssertion(c => AccessRules.CanUseMatches(c.User)))
            .AddPolicy(CanReadCalls, p => p.RequireAuthenticatedUser().RequireAssertion(c => AccessRules.CanReadCalls(c.User)))
            .AddPolicy(CanPublishCall, p => p.RequireAuthenticatedUser().AddRequirements(new RecordRequirement(RecordKind.Call)))
            .AddPolicy(CanEditCity, p => p.RequireAuthenticatedUser().AddRequirements(new RecordRequirement(RecordKind.City)))
            .AddPolicy(CanManageProgramme, p => p.RequireAuthenticatedUser().AddRequirements(new RecordRequirement(RecordKind.Programme)))
            .AddPolicy(CanEditPartnership, p => p.RequireAuthenticatedUser().AddRequirements(new RecordRequirement(RecordKind.Partnership)))
            .AddPolicy(CanLogExchange, p => p.RequireAuthenticatedUser().AddRequirements(new RecordRequirement(RecordKind.Exchange)));
    }
}

public enum RecordKind
{
    City,
    Programme,
    Partnership,
    Exchange,
    Call,
}

/// <summary>
/// Editing one record of a kind. The edit pages serve "new" too: without an id in the route the question is
/// whether the user may register one (for an exchange: log one in the partnership named by PartnershipId).
/// </summary>
public sealed record RecordRequirement(RecordKind Kind) : IAuthorizationRequirement;

/// <summary>
/// Whether the last record check of this circuit could not be answered because the database was unreachable. The
/// router's not-authorized view reads it, so an outage during a navigation inside the app says so (with "Try again")
/// instead of "access denied", and no exception escapes above the page's error boundary to end the circuit.
/// </summary>
public sealed class AuthorizationOutage
{
    public bool Happened { get; internal set; }
}

internal sealed class RecordHandler(AccessRules rules, AuthorizationOutage outage) : AuthorizationHandler<RecordRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, RecordRequirement requirement)
    {
        bool allowed;
        try
        {
            allowed = await IsAllowedAsync(context.User, RecordId(context.Resource, "Id"), requirement.Kind, context.Resource);
            outage.Happened = false;
        }
        catch (Exception ex) when (Common.DatabaseOutage.Is(ex) && context.Resource is not HttpContext)
        {
            // A request fails as a whole (the API answers 503, a page load the error page); a circuit lives on.
            outage.Happened = true;
            return;
        }

        if (allowed)
        {
            context.Succeed(requirement);
        }
    }

    private async Task<bool> IsAllowedAsync(System.Security.Claims.ClaimsPrincipal user, int? id, RecordKind kind, object? resource) =>
        (kind, id) switch
        {
            (RecordKind.City, int cityId) => await rules.CanEditCityAsync(user, cityId),
            (RecordKind.City, null) => AccessRules.CanRegisterCity(user),
            (RecordKind.Programme, int programmeId) => await rules.CanManageProgrammeAsync(user, programmeId),
            (RecordKind.Programme, null) => AccessRules.CanRegisterProgramme(user),
            (RecordKind.Partnership, int partnershipId) => await rules.CanEditPartnershipAsync(user, partnershipId),
            (RecordKind.Partnership, null) => AccessRules.CanProposePartnership(user),
            (RecordKind.Exchange, int exchangeId) => await rules.CanEditExchangeAsync(user, exchangeId),
            (RecordKind.Call, int callId) => await rules.CanEditCallAsync(user, callId),
            (RecordKind.Call, null) => AccessRules.CanPublishCalls(user),
            (RecordKind.Exchange, null) => RecordId(resource, "PartnershipId") is int partnershipId && await rules.CanLogExchangeAsync(user, partnershipId),
            _ => false,
        };

    private static int? RecordId(object? resource, string key)
    {
        var value = resource switch
        {
            int id => id,
            HttpContext http => http.GetRouteValue(key),
            Microsoft.AspNetCore.Components.RouteData route => route.RouteValues.GetValueOrDefault(key),
            _ => null,
        };
        return value switch
        {
            int id => id,
            string text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) => id,
            _ => null,
        };
    }
}
