using CityPairs.Domain.Cities;
using CityPairs.Domain.Common;
using CityPairs.Web.Features.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CityPairs.Web.Features.Cities;

public sealed record CityThemeRequest(int? ThemeId, ThemeInterest Interest);

/// <summary>
/// A city's profile as a client replaces it with PUT; <see cref="Version"/> is the version it read (a newer one is a 409).
/// Contacts are not part of it: they are history, kept as they are.
/// </summary>
public sealed record CityRequest(
    string? Name, string? CountryCode, Region? Region, string? AdminArea, CityKind Kind, int? Population, double Latitude, double Longitude,
    IReadOnlyList<string>? Languages, string? Profile, IReadOnlyList<int>? PrioritySdgs, IReadOnlyList<CityThemeRequest>? Themes, uint Version)
{
    public CityForm ToForm(int id) => new()
    {
        Id = id, Version = Version, Name = Name ?? "", CountryCode = CountryCode, Region = Region, AdminArea = AdminArea, Kind = Kind,
        Population = Population, Latitude = Latitude, Longitude = Longitude, Languages = string.Join(", ", Languages ?? []),
        Profile = Profile ?? "", PrioritySdgs = [.. PrioritySdgs ?? []],
        Themes = [.. (Themes ?? []).Select(t => new CityThemeForm { ThemeId = t.ThemeId, Interest = t.Interest })],
    };
}

/// <summary>GET /api/v1/cities and /api/v1/cities/{id}: the Cities pages' list and detail, as JSON; PUT to change a city.</summary>
public static class CitiesApi
{
    public static RouteGroupBuilder MapCitiesApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var cities = api.MapGroup("/cities").WithTags("Cities");
        cities.MapGet("/", ListAsync).WithName("ListCities")
            .WithSummary("Registered cities, paged, searched and filtered as on the Cities page.");
        cities.MapGet("/{id:int}", GetAsync).WithName("GetCity")
            .WithSummary("One city with its themes, partnerships and recent exchanges; contacts only for those who may edit it.");
        cities.MapPut("/{id:int}", UpdateAsync).WithName("UpdateCity")
            .WithSummary("Replaces a city's profile (not its contacts); send the version you read, a newer one answers 409.")
            .RequireAuthorization(Accounts.Policies.CanEditCity)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    internal static async Task<IResult> UpdateAsync(int id, CityRequest request, CityService service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await service.UpdateAsync(request.ToForm(id), cancellationToken);
        return result.Succeeded
            ? TypedResults.Ok(await service.GetAsync(id, cancellationToken))
            : ApiV1.Failure(result, result.Errors);
    }

    internal static async Task<Results<Ok<PagedResponse<CityListItem>>, ValidationProblem>> ListAsync(
        [FromQuery] int? page, [FromQuery] int? pageSize, [FromQuery] string? search, [FromQuery] string? country,
        [FromQuery] string? region, [FromQuery] int? sdg, [FromQuery] int? theme, [FromQuery] int? programme,
        [FromQuery] bool? includeArchived, [FromQuery] string? sort, CityService service, CancellationToken cancellationToken)
    {
        var query = new QueryReader();
        var paging = query.Paging(page, pageSize);
        var filter = new CityListQuery(
            Search: query.Search(search), Page: paging.Index, PageSize: paging.PageSize, IncludeArchived: includeArchived ?? false,
            CountryCode: query.Country(country), Region: query.Enum<Region>(nameof(region), region), Sdg: query.Sdg(sdg),
            ThemeId: query.Id(nameof(theme), theme), ProgrammeId: query.Id(nameof(programme), programme));
        var (sortBy, descending) = query.Sort(sort, CitySort.Name);
        if (query.HasErrors)
        {
            return query.Problem();
        }

        var result = await service.ListAsync(filter with { SortBy = sortBy, Descending = descending }, cancellationToken);
        return TypedResults.Ok(PagedResponse<CityListItem>.Of(result.Items, paging, result.TotalCount));
    }

    internal static async Task<Results<Ok<CityDetail>, ProblemHttpResult>> GetAsync(int id, CityService service, CancellationToken cancellationToken) =>
        await service.GetAsync(id, cancellationToken) is { } city ? TypedResults.Ok(city) : ApiV1.NotFound("City", id);
}
