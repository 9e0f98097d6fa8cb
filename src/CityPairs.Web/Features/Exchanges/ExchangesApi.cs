using CityPairs.Domain.Exchanges;
using CityPairs.Web.Features.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CityPairs.Web.Features.Exchanges;

public sealed record ParticipantResponse(ActorType ActorType, ParticipantRole Role, int Count);

public sealed record DocumentResponse(string Title, string Url);

/// <summary>An exchange as the API shows it; <see cref="Version"/> is what an update must send back.</summary>
public sealed record ExchangeResponse(
    int Id, int PartnershipId, ExchangeKind Kind, string Title, DateOnly StartsOn, DateOnly EndsOn, bool IsOnline, int? HostCityId,
    IReadOnlyList<ParticipantResponse> Participants, IReadOnlyList<string> InterpretationLanguages, IReadOnlyList<int> ThemeIds,
    IReadOnlyList<int> Sdgs, string Outcomes, string FollowUps, IReadOnlyList<DocumentResponse> Documents, uint Version)
{
    public static ExchangeResponse From(int id, int partnershipId, ExchangeForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return new(
            id, partnershipId, form.Kind, form.Title, DateOnly.FromDateTime(form.StartsOn!.Value), DateOnly.FromDateTime(form.EndsOn!.Value),
            form.IsOnline, form.HostCityId, [.. form.Participants.Select(p => new ParticipantResponse(p.ActorType, p.Role, p.Count))],
            form.LanguageCodes(), [.. form.ThemeIds.Order()], [.. form.Sdgs.Order()], form.Outcomes, form.FollowUps,
            [.. form.Documents.Select(d => new DocumentResponse(d.Title, d.Url))], form.Version);
    }
}

/// <summary>GET /api/v1/partnerships/{id}/exchanges and /api/v1/exchanges/{id}.</summary>
public static class ExchangesApi
{
    public static RouteGroupBuilder MapExchangesApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/partnerships/{id:int}/exchanges", ListForPartnershipAsync).WithTags("Exchanges").WithName("ListPartnershipExchanges")
            .WithSummary("A partnership's exchanges, newest first, paged.");
        api.MapGet("/exchanges/{id:int}", GetAsync).WithTags("Exchanges").WithName("GetExchange")
            .WithSummary("One exchange with its participants, themes, SDGs, outcomes and documents.");
        return api;
    }

    internal static async Task<Results<Ok<PagedResponse<ExchangeListItem>>, ValidationProblem, ProblemHttpResult>> ListForPartnershipAsync(
        int id, [FromQuery] int? page, [FromQuery] int? pageSize, ExchangeService service, CancellationToken cancellationToken)
    {
        var query = new QueryReader();
        var paging = query.Paging(page, pageSize);
        if (query.HasErrors)
        {
            return query.Problem();
        }

        return await service.PageForPartnershipAsync(id, paging.Index, paging.PageSize, cancellationToken) is { } result
            ? TypedResults.Ok(PagedResponse<ExchangeListItem>.Of(result.Items, paging, result.TotalCount))
            : ApiV1.NotFound("Partnership", id);
    }

    internal static async Task<Results<Ok<ExchangeResponse>, ProblemHttpResult>> GetAsync(int id, ExchangeService service, CancellationToken cancellationToken) =>
        await service.GetFormAsync(id, cancellationToken) is { } found
            ? TypedResults.Ok(ExchangeResponse.From(id, found.PartnershipId, found.Form))
            : ApiV1.NotFound("Exchange", id);
}
