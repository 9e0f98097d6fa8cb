using CityPairs.Domain.Partnerships;
using CityPairs.Web.Features.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CityPairs.Web.Features.Partnerships;

/// <summary>A member city in a proposal sent to the API.</summary>
public sealed record MemberRequest(int CityId, MemberRole Role = MemberRole.Partner, string? Expectations = null, string? Contributions = null);

/// <summary>What a client sends to propose a partnership; the same rules as the partnership form apply.</summary>
public sealed record PartnershipRequest(
    string? Name, Modality Modality, DateOnly? StartedOn, string? Description, string? ExitStrategy,
    IReadOnlyList<MemberRequest>? Members, IReadOnlyList<int>? ProgrammeIds, IReadOnlyList<int>? ThemeIds, IReadOnlyList<int>? Sdgs)
{
    public PartnershipForm ToForm() => new()
    {
        Name = Name ?? "",
        Modality = Modality,
        StartedOn = StartedOn?.ToDateTime(TimeOnly.MinValue),
        Description = Description ?? "",
        ExitStrategy = ExitStrategy ?? "",
        Members = [.. (Members ?? []).Select(m => new MemberForm
        {
            CityId = m.CityId, Role = m.Role, Expectations = m.Expectations ?? "", Contributions = m.Contributions ?? "",
        })],
        ProgrammeIds = [.. ProgrammeIds ?? []],
        ThemeIds = [.. ThemeIds ?? []],
        Sdgs = [.. Sdgs ?? []],
    };
}

/// <summary>GET /api/v1/partnerships and /api/v1/partnerships/{id}, filtered as on the Partnerships page.</summary>
public static class PartnershipsApi
{
    public static RouteGroupBuilder MapPartnershipsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var partnerships = api.MapGroup("/partnerships").WithTags("Partnerships");
        partnerships.MapGet("/", ListAsync).WithName("ListPartnerships")
            .WithSummary("Partnerships, paged and filtered by status, modality, programme, city, country, SDG, theme or name.");
        partnerships.MapGet("/{id:int}", GetAsync).WithName("GetPartnership")
            .WithSummary("One partnership: members, programmes, agreements, status history and exchanges.");
        // The same writer as the form, Matches and the imports: it starts Proposed, in programmes the caller may use.
        partnerships.MapPost("/", CreateAsync).WithName("ProposePartnership")
            .WithSummary("Proposes a partnership (officers in their programmes, facilitators, administrators). It starts as Proposed.")
            .RequireAuthorization(Accounts.Policies.CanProposePartnership)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    internal static async Task<Results<Ok<PagedResponse<PartnershipListItem>>, ValidationProblem>> ListAsync(
        [FromQuery] int? page, [FromQuery] int? pageSize, [FromQuery] string? search, [FromQuery] string? status,
        [FromQuery] string? modality, [FromQuery] int? programme, [FromQuery] int? city, [FromQuery] string? country,
        [FromQuery] int? sdg, [FromQuery] int? theme, [FromQuery] bool? includeArchived, [FromQuery] string? sort,
        PartnershipService service, CancellationToken cancellationToken)
    {
        var query = new QueryReader();
        var paging = query.Paging(page, pageSize);
        var (sortBy, descending) = query.Sort(sort, PartnershipSort.Name);
        var filter = new PartnershipListQuery(
            Search: query.Search(search), ProgrammeId: query.Id(nameof(programme), programme),
            Status: query.Enum<PartnershipStatus>(nameof(status), status), Modality: query.Enum<Modality>(nameof(modality), modality),
            ThemeId: query.Id(nameof(theme), theme), Sdg: query.Sdg(sdg), CountryCode: query.Country(country),
            IncludeArchived: includeArchived ?? false, SortBy: sortBy, Descending: descending, Page: paging.Index, PageSize: paging.PageSize,
            CityId: query.Id(nameof(city), city));
        if (query.HasErrors)
        {
            return query.Problem();
        }

        var result = await service.ListAsync(filter, cancellationToken);
        return TypedResults.Ok(PagedResponse<PartnershipListItem>.Of(result.Items, paging, result.TotalCount));
    }

    internal static async Task<IResult> CreateAsync(PartnershipRequest request, PartnershipService service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Enum.IsDefined(request.Modality))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["modality"] = [$"Give the modality, one of: {string.Join(", ", Enum.GetNames<Modality>())}."] });
        }

        var result = await service.CreateAsync(request.ToForm(), cancellationToken);
        if (!result.Succeeded)
        {
            return ApiV1.Failure(result, result.Errors);
        }

        return TypedResults.Created($"{ApiV1.Prefix}/partnerships/{result.Value}", await service.GetAsync(result.Value, cancellationToken));
    }

    internal static async Task<Results<Ok<PartnershipDetail>, ProblemHttpResult>> GetAsync(int id, PartnershipService service, CancellationToken cancellationToken) =>
        await service.GetAsync(id, cancellationToken) is { } partnership ? TypedResults.Ok(partnership) : ApiV1.NotFound("Partnership", id);
}
