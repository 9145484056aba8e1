using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace AvatarLab.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class AboutPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task About_SignedIn_RendersInWebAssemblyAndShowsTheWorker()
    {
        // Arrange
        var page = await fixture.NewSignedInPageAsync();

        // Act
        await page.GotoAsync("/about");

        // Assert: the WebAssembly runtime took over the page and called GET /api/status with the cookie.
        await Expect(page.GetByTestId("render-mode")).ToHaveTextAsync("Rendered in: WebAssembly", new() { Timeout = 90_000 });
        await Expect(page.GetByTestId("worker-state")).ToHaveTextAsync(new Regex("^(idle|running)$"));
        await Expect(page.GetByTestId("device")).ToContainTextAsync("CPU");
        await page.Context.CloseAsync();
    }
}
