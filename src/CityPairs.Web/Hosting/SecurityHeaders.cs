namespace CityPairs.Web.Hosting;

/// <summary>
/// Headers every response carries. The Content-Security-Policy allows what Blazor Server and MudBlazor need and
/// nothing else: scripts only from this origin (blazor.web.js and MudBlazor.min.js are files, no inline script),
/// inline styles (MudBlazor sets style attributes), the circuit's WebSocket, and no framing by other sites.
/// HSTS is added by UseHsts outside Development.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>
    /// The API reference page (Scalar) starts itself with an inline module script that carries its configuration, and
    /// shows no user data: on that page alone inline scripts are allowed. Everything still comes from this origin.
    /// </summary>
    public const string ApiReferenceContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "geolocation=(), camera=(), microphone=()";
            // Replaces the "frame-ancestors 'self'" that Blazor sets on its pages: ours says that and more, and stricter.
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/api/reference", StringComparison.OrdinalIgnoreCase)
                ? ApiReferenceContentSecurityPolicy
                : ContentSecurityPolicy;

            return Task.CompletedTask;
        });
        await next();
    });
}
