using CityPairs.Web.Features.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CityPairs.Web.Features.Programmes;

/// <summary>GET /api/v1/programmes and /api/v1/programmes/{id}.</summary>
public static class ProgrammesApi
{
    private enum ProgrammeSort
    {
        Name,
    }

    public static RouteGroupBuilder MapProgrammesApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var programmes = api.MapGroup("/programmes").WithTags("Programmes");
        programmes.MapGet("/", ListAsync).WithName("ListProgrammes").WithSummary("Programmes, paged, by name.");
        programmes.MapGet("/{id:int}", GetAsync).WithName("GetProgramme")
            .WithSummary("One programme with its partnerships, member cities and exchanges per year.");
        return api;
    }

    internal static async Task<Results<Ok<PagedResponse<ProgrammeListItem>>, ValidationProblem>> ListAsync(
        [FromQuery] int? page, [FromQuery] int? pageSize, [FromQuery] string? search, [FromQuery] string? sort,
        ProgrammeService service, CancellationToken cancellationToken)
    {
        var query = new QueryReader();
        var paging = query.Paging(page, pageSize);
        var text = query.Search(search);
        var (_, descending) = query.Sort(sort, ProgrammeSort.Name);
        if (query.HasErrors)
        {
            return query.Problem();
        }

        var result = await service.ListAsync(new ProgrammeListQuery(text, descending, paging.Index, paging.PageSize), cancellationToken);
        return TypedResults.Ok(PagedResponse<ProgrammeListItem>.Of(result.Items, paging, result.TotalCount));
    }

    internal static async Task<Results<Ok<ProgrammeDetail>, ProblemHttpResult>> GetAsync(int id, ProgrammeService service, CancellationToken cancellationToken) =>
        await service.GetAsync(id, cancellationToken) is { } programme ? TypedResults.Ok(programme) : ApiV1.NotFound("Programme", id);
}
