using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace AvatarLab.Server.Tests.Support;

/// <summary>
/// Registers and signs in the way a browser does: GET the static-SSR account page, scrape its
/// antiforgery token, POST the EditForm's fields (with the cookie the GET set), keep the sign-in
/// cookie. Then fetches an X-XSRF-TOKEN for state-changing API calls.
/// </summary>
public static partial class Accounts
{
    /// <summary>Satisfies the Identity options of the app (8+ characters, upper, lower, digit).</summary>
    public const string Password = "Research-2026";

    /// <summary>Creates an account and returns a client signed in as it (with the X-XSRF-TOKEN header unless told otherwise).</summary>
    public static async Task<HttpClient> RegisterAsync(this AvatarLabHost host, string email, string? displayName = null, bool xsrfHeader = true)
    {
        var client = host.CreateApiClient();
        await PostAccountFormAsync(client, "/account/register", "register", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = displayName ?? email.Split('@')[0],
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        });
        if (xsrfHeader)
        {
            await AddXsrfHeaderAsync(client);
        }

        return client;
    }

    /// <summary>Signs in to an existing account.</summary>
    public static async Task<HttpClient> SignInAsync(this AvatarLabHost host, string email, bool xsrfHeader = true)
    {
        var client = host.CreateApiClient();
        await PostAccountFormAsync(client, "/account/login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
            ["Input.RememberMe"] = "false",
        });
        if (xsrfHeader)
        {
            await AddXsrfHeaderAsync(client);
        }

        return client;
    }

    /// <summary>GET /api/antiforgery (sets the antiforgery cookie) and sends its token on every later request.</summary>
    public static async Task AddXsrfHeaderAsync(HttpClient client)
    {
        var tokens = await client.GetFromJsonAsync<AntiforgeryTokens>("/api/antiforgery")
            ?? throw new InvalidOperationException("GET /api/antiforgery returned nothing");
        Assert.Equal("X-XSRF-TOKEN", tokens.HeaderName);
        client.DefaultRequestHeaders.Remove(tokens.HeaderName);
        client.DefaultRequestHeaders.Add(tokens.HeaderName, tokens.Token);
    }

    private static async Task PostAccountFormAsync(HttpClient client, string path, string formName, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(path);
        var token = AntiforgeryInput().Match(page);
        Assert.True(token.Success, $"{path} has no __RequestVerificationToken field");
        fields["_handler"] = formName;
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);

        using var response = await client.PostAsync(path, new FormUrlEncodedContent(fields));
        if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found))
        {
            var body = await response.Content.ReadAsStringAsync();
            var error = AccountError().Match(body);
            throw new InvalidOperationException(
                $"POST {path} answered {(int)response.StatusCode} instead of a redirect: {(error.Success ? WebUtility.HtmlDecode(StripTags(error.Value)) : body)}");
        }
    }

    private static string StripTags(string html) => Regex.Replace(html, "<[^>]+>", " ").Trim();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();

    [GeneratedRegex("<[^>]+data-testid=\"(register|login)-error\"[^>]*>.*?</(ul|p)>", RegexOptions.Singleline)]
    private static partial Regex AccountError();

    private sealed record AntiforgeryTokens(string HeaderName, string Token);
}
