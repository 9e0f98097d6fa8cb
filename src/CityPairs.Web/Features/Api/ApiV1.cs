using System.Globalization;
using System.Text.Json.Serialization;
using CityPairs.Web.Features.Calls;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Common;
using CityPairs.Web.Features.Exchanges;
using CityPairs.Web.Features.Invitations;
using CityPairs.Web.Features.Partnerships;
using CityPairs.Web.Features.Programmes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;

namespace CityPairs.Web.Features.Api;

/// <summary>One page of a list, with what a client needs to fetch the next one.</summary>
public sealed record PagedResponse<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount, int TotalPages)
{
    public static PagedResponse<T> Of(IReadOnlyList<T> items, Paging paging, int totalCount)
    {
        ArgumentNullException.ThrowIfNull(paging);
        return new(items, paging.Page, paging.PageSize, totalCount, (int)Math.Ceiling(totalCount / (double)paging.PageSize));
    }
}

/// <summary>1-based page and its size, as validated from the query string.</summary>
public sealed record Paging(int Page, int PageSize)
{
    /// <summary>The services count pages from 0.</summary>
    public int Index => Page - 1;
}

/// <summary>
/// Reads an API query string into typed values, collecting one clear message per bad parameter, so a client
/// gets every problem at once as a 400 ValidationProblem instead of a silently ignored filter.
/// </summary>
public sealed class QueryReader
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;

    /// <summary>Keeps (page - 1) * pageSize far inside an int, so no page can overflow the offset.</summary>
    public const int MaxPage = 1_000_000;

    public const int MaxSearchLength = 200;

    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    public ValidationProblem Problem() => TypedResults.ValidationProblem(_errors, title: "The request has invalid parameters.");

    public void Add(string parameter, string message) => _errors[parameter] = [message];

    public Paging Paging(int? page, int? pageSize)
    {
        if (page is < 1 or > MaxPage)
        {
            Add("page", $"page must be between 1 and {MaxPage} (pages count from 1).");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            Add("pageSize", $"pageSize must be between 1 and {MaxPageSize}.");
        }

        return new Paging(Math.Clamp(page ?? 1, 1, MaxPage), Math.Clamp(pageSize ?? DefaultPageSize, 1, MaxPageSize));
    }

    /// <summary>An enum value by name, any case; numbers are refused so that the contract stays the names.</summary>
    public TEnum? Enum<TEnum>(string parameter, string? value)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) && !text.Any(c => char.IsDigit(c) || c == ','))
        {
            return parsed;
        }

        Add(parameter, $"Unknown {parameter} '{Shorten(text)}'. Use one of: {string.Join(", ", System.Enum.GetNames<TEnum>())}.");
        return null;
    }

    public int? Sdg(int? value)
    {
        if (value is { } sdg && !Domain.Reference.Sdg.IsValid(sdg))
        {
            Add("sdg", "sdg must be an SDG number from 1 to 17.");
            return null;
        }

        return value;
    }

    public string? Country(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var code = value.Trim().ToUpperInvariant();
        if (!Domain.Common.Countries.IsKnown(code))
        {
            Add("country", $"Unknown country '{Shorten(value)}'. Use a two-letter ISO 3166 code such as BE or BO.");
            return null;
        }

        return code;
    }

    /// <summary>Free text to search for: plain text of a sensible length, else a 400 rather than a query.</summary>
    public string? Search(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (value.Length > MaxSearchLength)
        {
            Add("search", $"search can have at most {MaxSearchLength} characters.");
            return null;
        }

        if (!TextRules.IsPlainText(value))
        {
            Add("search", "search must be plain text: " + TextRules.Message);
            return null;
        }

        return value;
    }

    /// <summary>"name" or "-name" (descending) from the allowed sort keys.</summary>
    public (TSort Sort, bool Descending) Sort<TSort>(string? value, TSort fallback)
        where TSort : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return (fallback, false);
        }

        var text = value.Trim();
        var descending = text.StartsWith('-');
        if (System.Enum.TryParse<TSort>(text.TrimStart('-'), ignoreCase: true, out var sort) && System.Enum.IsDefined(sort) && !text.Any(char.IsDigit))
        {
            return (sort, descending);
        }

        Add("sort", $"Unknown sort '{Shorten(text)}'. Use one of: {string.Join(", ", System.Enum.GetNames<TSort>().Select(n => JsonNamingPolicy(n)))}, with a leading '-' for descending.");
        return (fallback, false);
    }

    public int? Id(string parameter, int? value)
    {
        if (value is < 1)
        {
            Add(parameter, $"{parameter} must be a positive id.");
            return null;
        }

        return value;
    }

    private static string JsonNamingPolicy(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary>Echoes at most a little of what was sent, so a 1 MB parameter does not come back in the answer.</summary>
    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}

/// <summary>The /api/v1 group every area adds its endpoints to, and what all of them share.</summary>
public static class ApiV1
{
    public const string Prefix = "/api/v1";

    public static void AddCityPairsApi(this IServiceCollection services)
    {
        // Enum values travel as their names ("Active", "Europe"), as in the query strings.
        services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false)));
        // A query value of the wrong type: in Development minimal APIs throw (UseApiErrors names the parameter); elsewhere they
        // answer an empty 400, which UseApiErrors' status code pages turn into a problem. Not forced on globally: outside
        // /api the exception handler would make such a throw a 500.
        services.AddProblemDetails();
    }

    public static RouteGroupBuilder MapApiV1(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup(Prefix)
            .RequireAuthorization()
            .RequireRateLimiting(Hosting.RateLimits.Api)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapCitiesApi();
        api.MapProgrammesApi();
        api.MapPartnershipsApi();
        api.MapExchangesApi();
        api.MapCallsApi();
        api.MapInvitationsApi();
        return api;
    }

    /// <summary>What a failed service write means over HTTP, with the service's own messages.</summary>
    public static IResult Failure(ISaveOutcome outcome, IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(errors);
        return outcome.Problem switch
        {
            SaveProblem.Invalid => TypedResults.ValidationProblem(
                errors.GroupBy(e => JsonName(e.Field)).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                title: outcome.Message ?? "Some fields need attention."),
            SaveProblem.NotFound => TypedResults.Problem(title: "Not found", detail: outcome.Message, statusCode: StatusCodes.Status404NotFound),
            SaveProblem.Forbidden =>
                TypedResults.Problem(title: "Not allowed", detail: outcome.Message, statusCode: StatusCodes.Status403Forbidden),
            SaveProblem.Refused => TypedResults.Problem(title: "Refused", detail: outcome.Message, statusCode: StatusCodes.Status422UnprocessableEntity),
            SaveProblem.Conflict => TypedResults.Problem(title: "Conflict", detail: outcome.Message, statusCode: StatusCodes.Status409Conflict),
            SaveProblem.Duplicate => TypedResults.Problem(title: "Duplicate", detail: outcome.Message, statusCode: StatusCodes.Status409Conflict),
            SaveProblem.Unavailable => TypedResults.Problem(title: "Service unavailable", detail: outcome.Message, statusCode: StatusCodes.Status503ServiceUnavailable),
            _ => throw new InvalidOperationException($"Not a failure: {outcome.Problem}"),
        };
    }

    /// <summary>"Themes[0].ThemeId" as the JSON body spells it: "themes[0].themeId".</summary>
    private static string JsonName(string field) =>
        string.Join('.', field.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));

    public static ProblemHttpResult NotFound(string what, int id) =>
        TypedResults.Problem(title: $"{what} not found", detail: $"There is no {what.ToLowerInvariant()} {id.ToString(CultureInfo.InvariantCulture)}.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>
    /// Every /api answer that is an error carries a problem body: a value of the wrong type or unreadable JSON
    /// (400 with the parameter named), an unknown route (404), an unreachable database (503).
    /// </summary>
    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app) =>
        app.UseWhen(Accounts.ApiTokens.ApiAuthentication.IsApiRequest, api =>
        {
            api.Use(async (context, next) =>
            {
                try
                {
                    await next(context);
                }
                catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
                {
                    var logger = ApiLogger(context);
                    SaveLog.BadRequest(logger, ex);
                    context.Response.Clear();
                    await TypedResults.Problem(title: "The request is not valid.", detail: ex.Message, statusCode: ex.StatusCode).ExecuteAsync(context);
                }
                catch (Exception ex) when (DatabaseOutage.Is(ex) && !context.Response.HasStarted)
                {
                    var logger = ApiLogger(context);
                    SaveLog.Unreachable(logger, ex);
                    context.Response.Clear();
                    await TypedResults.Problem(title: "Service unavailable", detail: DatabaseOutage.Message, statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
                }
            });
            api.UseStatusCodePages();
        });

    private static ILogger ApiLogger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CityPairs.Api");
}
