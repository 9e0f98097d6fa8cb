using CityPairs.Domain.Common;
using CityPairs.Domain.Partnerships;
using CityPairs.Web.Features.Cities;
using CityPairs.Web.Features.Partnerships;

namespace CityPairs.Web.Features.Export;

/// <summary>
/// GET /export/{cities|partnerships}.{csv|xlsx|geojson}?filters: the lists' query parameters (search, status,
/// programme, modality, theme, sdg, country, region, archived), every matching row, in the list's order.
/// GET /export/portfolio.xlsx: every record, one sheet per kind (<see cref="PortfolioWorkbook"/>).
/// </summary>
public static class ExportEndpoints
{
    public const string CsvType = "text/csv; charset=utf-8";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string GeoJsonType = "application/geo+json";

    public static RouteGroupBuilder MapExport(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var export = app.MapGroup("/export").WithTags("Export");
        export.MapGet("/cities.{format}", async (string format, HttpContext http, PortfolioExport exporter, CancellationToken ct) =>
        {
            var query = CityQuery(http.Request.Query);
            return format switch
            {
                "csv" or "xlsx" => await FileAsync(http, await exporter.CitiesAsync(query, ct), "cities", format, ct),
                "geojson" => Results.Json(await exporter.CitiesGeoJsonAsync(query, ct), PortfolioExport.GeoJsonOptions, GeoJsonType),
                _ => Results.NotFound(),
            };
        });
        export.MapGet("/partnerships.{format}", async (string format, HttpContext http, PortfolioExport exporter, CancellationToken ct) =>
        {
            var query = PartnershipQuery(http.Request.Query);
            return format switch
            {
                "csv" or "xlsx" => await FileAsync(http, await exporter.PartnershipsAsync(query, ct), "partnerships", format, ct),
                "geojson" => Results.Json(await exporter.PartnershipsGeoJsonAsync(query, ct), PortfolioExport.GeoJsonOptions, GeoJsonType),
                _ => Results.NotFound(),
            };
        });
        // The whole portfolio for another installation (PortfolioImport reads it back), for those who may import:
        // officers and administrators. Its contacts sheet holds only the cities the exporting user may edit.
        export.MapGet("/portfolio.xlsx", async (PortfolioWorkbook workbook, CancellationToken ct) =>
        {
            var stream = new MemoryStream();
            await workbook.WriteAsync(stream, ct);
            stream.Position = 0;
            var stamp = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            return Results.File(stream, XlsxType, $"citypairs-portfolio-{stamp}.xlsx");
        }).RequireAuthorization(Accounts.Policies.CanRegisterCity);
        return export;
    }

    private static async Task<IResult> FileAsync(HttpContext http, Table table, string name, string format, CancellationToken ct)
    {
        var stream = new MemoryStream();
        if (format == "csv")
        {
            await table.WriteCsvAsync(stream, ct);
        }
        else
        {
            await table.WriteXlsxAsync(stream, name, ct);
        }

        stream.Position = 0;
        var stamp = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return Results.File(stream, format == "csv" ? CsvType : XlsxType, $"citypairs-{name}-{stamp}.{format}");
    }

    public static CityListQuery CityQuery(IQueryCollection q)
    {
        ArgumentNullException.ThrowIfNull(q);
        return new CityListQuery(
            Search: Text(q, "search"), IncludeArchived: Bool(q, "archived"), CountryCode: Text(q, "country"),
            Region: EnumOf<Region>(q, "region"), Sdg: Int(q, "sdg"), ThemeId: Int(q, "theme"), ProgrammeId: Int(q, "programme"));
    }

    public static PartnershipListQuery PartnershipQuery(IQueryCollection q)
    {
        ArgumentNullException.ThrowIfNull(q);
        return new PartnershipListQuery(
            Search: Text(q, "search"), ProgrammeId: Int(q, "programme"), Status: EnumOf<PartnershipStatus>(q, "status"),
            Modality: EnumOf<Modality>(q, "modality"), ThemeId: Int(q, "theme"), Sdg: Int(q, "sdg"), CountryCode: Text(q, "country"),
            IncludeArchived: Bool(q, "archived"));
    }

    private static string? Text(IQueryCollection q, string name) => q[name].FirstOrDefault() is { Length: > 0 } v ? v : null;

    private static int? Int(IQueryCollection q, string name) =>
        int.TryParse(q[name].FirstOrDefault(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    private static bool Bool(IQueryCollection q, string name) => bool.TryParse(q[name].FirstOrDefault(), out var b) && b;

    private static T? EnumOf<T>(IQueryCollection q, string name) where T : struct, Enum =>
        Enum.TryParse<T>(q[name].FirstOrDefault(), ignoreCase: true, out var v) && Enum.IsDefined(v) && !int.TryParse(q[name].FirstOrDefault(), out _) ? v : null;
}
