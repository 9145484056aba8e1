using AvatarLab.Client.Contracts;
using AvatarLab.Server.Services;
using Microsoft.AspNetCore.Antiforgery;

namespace AvatarLab.Server.Apis;

/// <summary>Every API failure as one JSON line ({"error": "..."}) with a fitting status code.</summary>
public static class ApiErrors
{
    public static IResult From(UploadException ex) => Results.Json(new ApiError(ex.Message), statusCode: ex.StatusCode);

    public static IResult BadRequest(string message) => Results.Json(new ApiError(message), statusCode: StatusCodes.Status400BadRequest);

    public static IResult NotFound(string message) => Results.Json(new ApiError(message), statusCode: StatusCodes.Status404NotFound);

    /// <summary>
    /// State-changing calls check the antiforgery token (header X-XSRF-TOKEN; GET /api/antiforgery
    /// hands one out), because the API is authenticated by the same cookie as the pages.
    /// </summary>
    public static RouteHandlerBuilder RequireAntiforgeryHeader(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(async (invocation, next) =>
            await CheckAntiforgeryAsync(invocation.HttpContext) ?? await next(invocation));

    private static async Task<IResult?> CheckAntiforgeryAsync(HttpContext context)
    {
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        try
        {
            await antiforgery.ValidateRequestAsync(context);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return Results.Json(new ApiError("missing or invalid antiforgery token: send header X-XSRF-TOKEN from GET /api/antiforgery"),
                statusCode: StatusCodes.Status400BadRequest);
        }
    }
}
