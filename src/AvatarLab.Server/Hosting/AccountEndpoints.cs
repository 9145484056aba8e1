using AvatarLab.Server.Data.Entities;
using Microsoft.AspNetCore.Identity;

namespace AvatarLab.Server.Hosting;

public static class AccountEndpoints
{
    /// <summary>POST /account/logout (a form post from the app bar, antiforgery-checked by the middleware).</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", async (SignInManager<AppUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/login");
        }).AllowAnonymous();
        return app;
    }
}
