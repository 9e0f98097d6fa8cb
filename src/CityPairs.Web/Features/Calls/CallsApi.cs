using CityPairs.Domain.Calls;
using CityPairs.Domain.Common;
using CityPairs.Web.Features.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CityPairs.Web.Features.Calls;

/// <summary>
/// What a client sends to publish or change a call; the same rules as the call form apply. <see cref="Version"/> is
/// the version it read (PUT only; a newer one is a 409).
/// </summary>
public sealed record CallRequest(
    int? CityId, string? Title, IReadOnlyList<int>? ThemeIds, IReadOnlyList<int>? Sdgs, CallModality? Modality, DateOnly? StartsOn, DateOnly? EndsOn,
    IReadOnlyList<string>? WorkingLanguages, string? Description, DateOnly? ExpiresOn, bool IsPublic, uint Version)
{
    public CallForm ToForm() => new()
    {
        CityId = CityId,
        Title = Title ?? "",
        ThemeIds = [.. ThemeIds ?? []],
        Sdgs = [.. Sdgs ?? []],
        // No modality sent is not "in person": the validator names the field.
        Modality = Modality ?? 0,
        StartsOn = StartsOn?.ToDateTime(TimeOnly.MinValue),
        EndsOn = EndsOn?.ToDateTime(TimeOnly.MinValue),
        WorkingLanguages = string.Join(", ", WorkingLanguages ?? []),
        Description = Description ?? "",
        ExpiresOn = ExpiresOn?.ToDateTime(TimeOnly.MinValue),
        IsPublic = IsPublic,
        Version = Version,
    };
}

/// <summary>The version a withdrawal is based on.</summary>
public sealed record WithdrawCallRequest(uint Version);

/// <summary>GET /api/v1/calls (live calls, paged and filtered) and /api/v1/calls/{id}; POST to publish, PUT to change, POST .../withdraw to close early.</summary>
public static class CallsApi
{
    public static RouteGroupBuilder MapCallsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var calls = api.MapGroup("/calls").WithTags("Calls").RequireAuthorization(Accounts.Policies.CanReadCalls);
        calls.MapGet("/", ListAsync).WithName("ListCalls")
            .WithSummary("Live calls for partners (not expired, not withdrawn), closing soonest first, paged and filtered as on the Calls page; officers may add includePast=true.");
        calls.MapGet("/{id:int}", GetAsync).WithName("GetCall")
            .WithSummary("One call; a closed one only for officers, administrators and those who may edit its city.");
        // The policy asks whether this user may publish for some city; the service asks about the city in the body.
        calls.MapPost("/", CreateAsync).WithName("PublishCall")
            .WithSummary("Publishes a call for a city (its coordinators, officers whose programmes work with it, administrators).")
            .RequireAuthorization(Accounts.Policies.CanPublishCall)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        calls.MapPut("/{id:int}", UpdateAsync).WithName("UpdateCall")
            .WithSummary("Replaces a live call; send the version you read, a newer one answers 409.")
            .RequireAuthorization(Accounts.Policies.CanPublishCall)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        calls.MapPost("/{id:int}/withdraw", WithdrawAsync).WithName("WithdrawCall")
            .WithSummary("Closes a live call before its expiry; send the version you read.")
            .RequireAuthorization(Accounts.Policies.CanPublishCall)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    internal static async Task<Results<Ok<PagedResponse<CallListItem>>, ValidationProblem>> ListAsync(
        [FromQuery] int? page, [FromQuery] int? pageSize, [FromQuery] int? theme, [FromQuery] int? sdg, [FromQuery] string? region,
        [FromQuery] string? modality, [FromQuery] int? city, [FromQuery] bool? includePast, HttpContext http, CallService service,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var query = new QueryReader();
        var paging = query.Paging(page, pageSize);
        var filter = new CallListQuery(
            ThemeId: query.Id(nameof(theme), theme), Sdg: query.Sdg(sdg), Region: query.Enum<Region>(nameof(region), region),
            Modality: query.Enum<CallModality>(nameof(modality), modality), CityId: query.Id(nameof(city), city),
            IncludePast: includePast ?? false, Page: paging.Index, PageSize: paging.PageSize);
        if (filter.IncludePast && !Accounts.AccessRules.CanSeePastCalls(http.User))
        {
            // Said, not silently ignored: a client would otherwise take live calls for the whole record.
            query.Add(nameof(includePast), "includePast is for programme officers and administrators.");
        }

        if (query.HasErrors)
        {
            return query.Problem();
        }

        var result = await service.ListAsync(filter, cancellationToken);
        return TypedResults.Ok(PagedResponse<CallListItem>.Of(result.Items, paging, result.TotalCount));
    }

    internal static async Task<Results<Ok<CallDetail>, ProblemHttpResult>> GetAsync(int id, CallService service, CancellationToken cancellationToken) =>
        await service.GetAsync(id, cancellationToken) is { } call ? TypedResults.Ok(call) : ApiV1.NotFound("Call", id);

    internal static async Task<IResult> CreateAsync(CallRequest request, CallService service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await service.CreateAsync(request.ToForm(), cancellationToken);
        return result.Succeeded
            ? TypedResults.Created($"{ApiV1.Prefix}/calls/{result.Value}", await service.GetAsync(result.Value, cancellationToken))
            : ApiV1.Failure(result, result.Errors);
    }

    internal static async Task<IResult> UpdateAsync(int id, CallRequest request, CallService service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await service.UpdateAsync(id, request.ToForm(), cancellationToken);
        return result.Succeeded ? TypedResults.Ok(await service.GetAsync(id, cancellationToken)) : ApiV1.Failure(result, result.Errors);
    }

    internal static async Task<IResult> WithdrawAsync(int id, WithdrawCallRequest request, CallService service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await service.WithdrawAsync(id, request.Version, cancellationToken);
        return result.Succeeded ? TypedResults.Ok(await service.GetAsync(id, cancellationToken)) : ApiV1.Failure(result, result.Errors);
    }
}
