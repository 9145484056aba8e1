using System.Net;
using System.Net.Http.Json;
using AvatarLab.Client.Contracts;
using AvatarLab.Server.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AvatarLab.Server.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class AuthorizationTests(ApiHostFixture fixture)
{
    [Fact]
    public async Task Api_EveryEndpointWithoutSignIn_Returns401WithoutRedirectOrPage()
    {
        // Arrange: every route the app maps under /api, with sample route values, so that an
        // endpoint added later without authorization fails here.
        var routes = fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Pattern: e.RoutePattern.RawText ?? "", Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]))
            .Where(r => r.Pattern.StartsWith("/api", StringComparison.Ordinal))
            .SelectMany(r => r.Methods.Select(m => (Method: m, Path: SamplePath(r.Pattern))))
            .Distinct()
            .ToList();
        using var anonymous = fixture.Host.CreateApiClient();

        // Act
        var answers = new List<string>();
        foreach (var (method, path) in routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method != "GET")
            {
                request.Content = JsonContent.Create(new { });
            }

            using var response = await anonymous.SendAsync(request);
            var html = response.Content.Headers.ContentType?.MediaType == "text/html" ? " (an HTML page)" : "";
            answers.Add($"{method} {path} -> {(int)response.StatusCode}{html}{(response.Headers.Location is { } l ? " to " + l : "")}");
        }

        // Assert: the 16 API endpoints at least (docs/api.md), all a bare 401.
        Assert.True(routes.Count >= 16, "only found: " + string.Join("; ", answers));
        Assert.All(answers, a => Assert.EndsWith("-> 401", a));
    }

    [Fact]
    public async Task OpenApiDocument_WithoutSignIn_RedirectsToLogin()
    {
        using var anonymous = fixture.Host.CreateApiClient();

        using var response = await anonymous.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", LocationPath(response));
    }

    [Fact]
    public async Task Health_Anonymous_Returns200()
    {
        using var anonymous = fixture.Host.CreateApiClient();

        using var response = await anonymous.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(await response.Content.ReadAsStringAsync(), new[] { "Healthy", "Degraded" });
    }

    [Fact]
    public async Task Page_WithoutSignIn_RedirectsToLogin()
    {
        using var anonymous = fixture.Host.CreateApiClient();

        using var response = await anonymous.GetAsync("/sessions");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", LocationPath(response));
    }

    [Fact]
    public async Task UnknownPage_SignedIn_Returns404WithTheNotFoundPage()
    {
        using var response = await fixture.Client.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("There is nothing at this address.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StateChangingApi_SignedInWithoutXsrfHeader_Returns400AndChangesNothing()
    {
        // Arrange: signed in (cookie), but no X-XSRF-TOKEN header.
        using var client = await fixture.Host.SignInAsync(ApiHostFixture.FirstEmail, xsrfHeader: false);
        var recordingsBefore = await fixture.Host.QueryAsync(db => Task.FromResult(db.Recordings.Count()));
        var sessionsBefore = await fixture.Host.QueryAsync(db => Task.FromResult(db.Sessions.Count()));
        var calls = new Func<Task<HttpResponseMessage>>[]
        {
            () => client.PostRecordingAsync(ApiCalls.ExampleFiles()),
            () => client.PostAsJsonAsync("/api/sessions", new RunRequest { ModelId = Guid.NewGuid(), RecordingId = Guid.NewGuid() }),
            () => client.PostAsync("/api/models", ApiCalls.Multipart([new UploadFile("package", "tiny.zip", TestMedia.Zip(RepoPaths.Fixture("tiny-1layer")))])),
            () => client.PostAsync($"/api/sessions/{Guid.NewGuid()}/cancel", null),
            () => client.PostAsync($"/api/sessions/{Guid.NewGuid()}/retry", null),
        };

        foreach (var call in calls)
        {
            // Act
            using var response = await call();

            // Assert
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("X-XSRF-TOKEN", await ApiCalls.ErrorOfAsync(response));
        }

        Assert.Equal(recordingsBefore, await fixture.Host.QueryAsync(db => Task.FromResult(db.Recordings.Count())));
        Assert.Equal(sessionsBefore, await fixture.Host.QueryAsync(db => Task.FromResult(db.Sessions.Count())));
        Assert.Empty(fixture.Host.TempFiles());
    }

    private static string? LocationPath(HttpResponseMessage response) =>
        response.Headers.Location is { } location ? new Uri(new Uri("http://localhost"), location).AbsolutePath : null;

    private static string SamplePath(string pattern) => pattern
        .Replace("{id:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
        .Replace("{kind}", "AvatarAudio", StringComparison.Ordinal)
        .Replace("{artifact}", "video", StringComparison.Ordinal)
        .TrimEnd('/');
}
