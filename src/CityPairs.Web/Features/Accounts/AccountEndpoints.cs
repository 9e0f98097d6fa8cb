using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace CityPairs.Web.Features.Accounts;

/// <summary>Sign-out is a form post (antiforgery-checked): a link or an image tag cannot sign anyone out.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/Account/Logout", async (SignInManager<AppUser> signIn, [FromForm] string? returnUrl) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect(IdentityRedirectManager.LocalOrHome(returnUrl));
        }).WithName("Logout").WithMetadata(new AllowAnonymousAttribute());
        return app;
    }
}
