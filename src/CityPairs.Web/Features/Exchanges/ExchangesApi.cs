using CityPairs.Domain.Exchanges;
using CityPairs.Web.Features.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CityPairs.Web.Features.Exchanges;

public sealed record ParticipantResponse(ActorType ActorType, ParticipantRole Role, int Count);

public sealed record DocumentResponse(string? Title, string? Url);

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

/// <summary>What a client sends to log an exchange; the same rules as the exchange form apply.</summary>
public sealed record ExchangeRequest(
    ExchangeKind Kind, string? Title, DateOnly? StartsOn, DateOnly? EndsOn, bool IsOnline, int? HostCityId,
    IReadOnlyList<ParticipantResponse>? Participants, IReadOnlyList<string>? InterpretationLanguages, IReadOnlyList<int>? ThemeIds,
    IReadOnlyList<int>? Sdgs, string? Outcomes, string? FollowUps, IReadOnlyList<DocumentResponse>? Documents)
{
    public ExchangeForm ToForm() => new()
    {
        Kind = Kind,
        Title = Title ?? "",
        StartsOn = StartsOn?.ToDateTime(TimeOnly.MinValue),
        EndsOn = EndsOn?.ToDateTime(TimeOnly.MinValue),
        IsOnline = IsOnline,
        HostCityId = HostCityId,
        Participants = [.. (Participants ?? []).Select(p => new ParticipantRow { ActorType = p.ActorType, Role = p.Role, Count = p.Count })],
        InterpretationLanguages = string.Join(", ", InterpretationLanguages ?? []),
        ThemeIds = [.. ThemeIds ?? []],
        Sdgs = [.. Sdgs ?? []],
        Outcomes = Outcomes ?? "",
        FollowUps = FollowUps ?? "",
        Documents = [.. (Documents ?? []).Select(d => new DocumentRow { Title = d.Title ?? "", Url = d.Url ?? "" })],
    };
}

/// <summary>GET /api/v1/partnerships/{id}/exchanges, /api/v1/exchanges/{id}, and POST to log one.</summary>
public static class ExchangesApi
{
    public static RouteGroupBuilder MapExchangesApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/partnerships/{partnershipId:int}/exchanges", ListForPartnershipAsync).WithTags("Exchanges").WithName("ListPartnershipExchanges")
            .WithSummary("A partnership's exchanges, newest first, paged.");
        api.MapGet("/exchanges/{id:int}", GetAsync).WithTags("Exchanges").WithName("GetExchange")
            .WithSummary("One exchange with its participants, themes, SDGs, outcomes and documents.");
        // The policy reads {partnershipId}: may this user log exchanges in that partnership? The service asks again.
        api.MapPost("/partnerships/{partnershipId:int}/exchanges", CreateAsync).WithTags("Exchanges").WithName("LogExchange")
            .WithSummary("Logs an exchange in a partnership (its coordinators, officers and administrators).")
            .RequireAuthorization(Accounts.Policies.CanLogExchange)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    internal static async Task<IResult> CreateAsync(int partnershipId, ExchangeRequest request, ExchangeService service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Enum.IsDefined(request.Kind))
        {
            // A body without "kind" would otherwise log an exchange of no kind at all.
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["kind"] = [$"Give the kind of exchange, one of: {string.Join(", ", Enum.GetNames<ExchangeKind>())}."] });
        }

        var result = await service.CreateAsync(partnershipId, request.ToForm(), cancellationToken);
        if (!result.Succeeded)
        {
            return ApiV1.Failure(result, result.Errors);
        }

        var created = await service.GetFormAsync(result.Value, cancellationToken);
        return TypedResults.Created($"{ApiV1.Prefix}/exchanges/{result.Value}", ExchangeResponse.From(result.Value, partnershipId, created!.Value.Form));
    }

    internal static async Task<Results<Ok<PagedResponse<ExchangeListItem>>, ValidationProblem, ProblemHttpResult>> ListForPartnershipAsync(
        int partnershipId, [FromQuery] int? page, [FromQuery] int? pageSize, ExchangeService service, CancellationToken cancellationToken)
    {
        var query = new QueryReader();
        var paging = query.Paging(page, pageSize);
        if (query.HasErrors)
        {
            return query.Problem();
        }

        return await service.PageForPartnershipAsync(partnershipId, paging.Index, paging.PageSize, cancellationToken) is { } result
            ? TypedResults.Ok(PagedResponse<ExchangeListItem>.Of(result.Items, paging, result.TotalCount))
            : ApiV1.NotFound("Partnership", partnershipId);
    }

    internal static async Task<Results<Ok<ExchangeResponse>, ProblemHttpResult>> GetAsync(int id, ExchangeService service, CancellationToken cancellationToken) =>
        await service.GetFormAsync(id, cancellationToken) is { } found
            ? TypedResults.Ok(ExchangeResponse.From(id, found.PartnershipId, found.Form))
            : ApiV1.NotFound("Exchange", id);
}
