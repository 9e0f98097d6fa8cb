namespace CityPairs.Web.Features.Export.Pdf;

/// <summary>
/// GET /partnerships/{id}/summary.pdf: whoever may open the partnership's page (any signed-in user, through the
/// fallback policy) may download its summary; the contacts in it are only those of the member cities the reader may edit.
/// </summary>
public static class PartnershipSummaryEndpoint
{
    public const string PdfType = "application/pdf";

    public static IEndpointRouteBuilder MapPartnershipSummary(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/partnerships/{id:int}/summary.pdf", async (int id, PartnershipSummary summary, CancellationToken ct) =>
                await summary.WriteAsync(id, ct) is { } document
                    ? Results.File(document.Content, PdfType, document.FileName)
                    : Results.NotFound())
            .WithTags("Export");
        return app;
    }
}
