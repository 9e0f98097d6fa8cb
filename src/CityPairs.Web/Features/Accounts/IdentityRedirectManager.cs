using Microsoft.AspNetCore.Components;

namespace CityPairs.Web.Features.Accounts;

/// <summary>Redirects from the statically rendered account pages, only ever to a page of this app.</summary>
public sealed class IdentityRedirectManager(NavigationManager navigation)
{
    public void RedirectTo(string? uri) => navigation.NavigateTo(LocalOrHome(uri));

    public void RedirectTo(string uri, Dictionary<string, object?> query) =>
        navigation.NavigateTo(navigation.GetUriWithQueryParameters(LocalOrHome(uri), query));

    /// <summary>An absolute or protocol-relative return URL could send a person who just signed in to another site.</summary>
    public static string LocalOrHome(string? uri) =>
        string.IsNullOrEmpty(uri) || !uri.StartsWith('/') || uri.StartsWith("//", StringComparison.Ordinal) || uri.StartsWith("/\\", StringComparison.Ordinal)
            ? "/"
            : uri;
}
