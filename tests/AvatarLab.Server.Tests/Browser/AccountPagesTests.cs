using AvatarLab.Server.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace AvatarLab.Server.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class AccountPagesTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Accounts_FirstSignUpThenSignOutAndSignIn_ReachOverviewAsTheAdmin()
    {
        // Arrange: a dashboard of its own, so that this account is the first.
        await using var host = new AvatarLabHost(worker: false).StartKestrel();
        var context = await fixture.NewContextAsync(host, null);
        var page = await context.NewPageAsync();
        const string email = "first-browser@avatarlab.test";

        // Act (1): an unauthenticated visit to the overview.
        await page.GotoAsync("/");

        // Assert (1): the sign-in page, which offers to create the first account.
        Assert.Equal("/account/login", new Uri(page.Url).AbsolutePath);
        await Expect(page.GetByTestId("first-account-hint")).ToBeVisibleAsync();

        // Act (2): sign up.
        await BrowserFixture.SignUpAsync(page, email);

        // Assert (2): signed in on the overview.
        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
        await Expect(page.GetByTestId("worker-card")).ToBeVisibleAsync();

        // Act (3): sign out (once the circuit has re-rendered the app bar), then visit the overview again.
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.GetByTestId("sign-out").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/login");
        await page.GotoAsync("/");

        // Assert (3): back at the sign-in page, no longer offering a first account.
        Assert.Equal("/account/login", new Uri(page.Url).AbsolutePath);
        await Expect(page.GetByTestId("first-account-hint")).ToHaveCountAsync(0);

        // Act (4): sign in.
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(Accounts.Password);
        await page.GetByTestId("sign-in").ClickAsync();

        // Assert (4): the overview again (the return URL was /).
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
        await context.CloseAsync();
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsErrorAndStaysSignedOut()
    {
        var context = await fixture.NewContextAsync(fixture.Host, null);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");

        await page.Locator("#email").FillAsync(BrowserFixture.Email);
        await page.Locator("#password").FillAsync("Not-the-password-1");
        await page.GetByTestId("sign-in").ClickAsync();

        await Expect(page.GetByTestId("login-error")).ToHaveTextAsync("Wrong email or password.");
        await page.GotoAsync("/recordings");
        Assert.Equal("/account/login", new Uri(page.Url).AbsolutePath);
        await context.CloseAsync();
    }
}
