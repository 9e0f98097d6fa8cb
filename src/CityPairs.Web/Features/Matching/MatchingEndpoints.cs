using CityPairs.Domain.Common;
using CityPairs.Domain.Matching;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CityPairs.Web.Features.Matching;

/// <summary>GET /api/v1/cities/{id}/matches: the same suggestions and reasons as the Matches page, as JSON.</summary>
public static class MatchingEndpoints
{
    /// <summary>Larger lists are for analysis, not for a person choosing a partner; the engine allows more.</summary>
    public const int MaxLimit = 100;

    public static IEndpointRouteBuilder MapMatchingApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Inside the /api/v1 group, which adds the rate limit and the Bearer token.
        app.MapGet("/cities/{id:int}/matches", GetMatchesAsync)
            .WithName("GetCityMatches")
            .WithTags("Matching")
            .WithSummary("Suggested partner cities for a city, with scores, their parts and the reasons in words.")
            .RequireAuthorization(Accounts.Policies.CanUseMatches)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    internal static async Task<Results<Ok<MatchListResponse>, ProblemHttpResult, ValidationProblem>> GetMatchesAsync(
        int id,
        [FromQuery] int? programme,
        [FromQuery] int? limit,
        [FromQuery] string[]? region,
        MatchingService matching,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxLimit}."];
        }

        // ?region=Europe&region=Asia or ?region=Europe,Asia; names as in the Region enum, any case.
        var regions = new List<Region>();
        foreach (var name in (region ?? []).SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (Enum.TryParse<Region>(name, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(name, out _))
            {
                regions.Add(parsed);
            }
            else
            {
                errors["region"] = [$"Unknown region '{name}'. Use one of: {string.Join(", ", Enum.GetNames<Region>())}."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await matching.SuggestAsync(
            id, programme, new MatchFilters(Regions: regions.Count == 0 ? null : regions), weights: null,
            limit ?? MatchQuery.DefaultLimit, cancellationToken);
        return result.Problem switch
        {
            MatchProblem.Forbidden => TypedResults.Problem(
                title: "Not allowed", detail: "You may ask for matches only for the cities you act for.", statusCode: StatusCodes.Status403Forbidden),
            MatchProblem.CityNotFound => TypedResults.Problem(
                title: "City not found", detail: $"There is no active city {id}.", statusCode: StatusCodes.Status404NotFound),
            MatchProblem.ProgrammeNotFound => TypedResults.Problem(
                title: "Programme not found", detail: $"There is no programme {programme}.", statusCode: StatusCodes.Status404NotFound),
            _ => TypedResults.Ok(MatchListResponse.From(result, programme)),
        };
    }
}

public sealed record MatchListResponse(int CityId, string CityName, int? ProgrammeId, MatchWeights Weights, IReadOnlyList<MatchResponse> Suggestions)
{
    public static MatchListResponse From(MatchResult result, int? programmeId)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new MatchListResponse(
            result.City!.Id, result.City.Name, programmeId, result.Weights,
            [.. result.Suggestions.Select(s => MatchResponse.From(result, s))]);
    }
}

/// <summary>One suggestion: the score, the parts it is made of (with names as well as ids) and the sentences.</summary>
public sealed record MatchResponse(
    int CandidateId,
    string CandidateName,
    string CountryCode,
    string Region,
    double Score,
    bool PreviouslyDiscontinued,
    bool PreviouslyCompleted,
    double DistanceKm,
    IReadOnlyList<ScorePartResponse> Parts,
    IReadOnlyList<string> Sentences)
{
    public static MatchResponse From(MatchResult result, MatchSuggestion s)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(s);
        return new MatchResponse(
            s.CandidateId, s.CandidateName, s.CandidateCountryCode, s.CandidateRegion.ToString(), s.Score,
            s.PreviouslyDiscontinued, result.PreviouslyCompleted(s), s.DistanceKm,
            [.. s.Parts.Select(p => new ScorePartResponse(
                p.Kind.ToString(), p.Points, p.Ids,
                p.Kind == ScorePartKind.SharedSdg ? [.. p.Ids.Select(SdgTitles.Label)] : [.. p.Ids.Select(result.ThemeName)],
                p.Languages, p.DistanceKm, p.PopulationRatio, p.Sdgs, p.Until, p.SeekerCityId))],
            result.Sentences(s));
    }
}

/// <summary>
/// Ids are SDG numbers for SharedSdg and theme ids for the theme parts and SeekingPartners; Names says them in words.
/// SeekingPartners also gives the sought SDGs the other city lists, the call's expiry and the city that published it.
/// </summary>
public sealed record ScorePartResponse(
    string Kind,
    double Points,
    IReadOnlyList<int> Ids,
    IReadOnlyList<string> Names,
    IReadOnlyList<string> Languages,
    double? DistanceKm,
    double? PopulationRatio,
    IReadOnlyList<int> Sdgs,
    DateOnly? Until,
    int? SeekerCityId);
