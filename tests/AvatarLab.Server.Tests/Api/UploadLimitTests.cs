using System.Net;
using AvatarLab.Server.Tests.Support;

namespace AvatarLab.Server.Tests.Api;

/// <summary>A host of its own: the limit is read once at start (Uploads:MaxFileBytes).</summary>
public sealed class UploadLimitTests(UploadLimitTests.LimitedHost fixture) : IClassFixture<UploadLimitTests.LimitedHost>
{
    private const long Limit = 100_000;

    private AvatarLabHost Host => fixture.Host;
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Upload_FileOverMaxFileBytes_Returns413NamingFileAndLimitAndStoresNothing()
    {
        // Arrange: a small motion track first (accepted size), then a 640 KB WAV over the 100 KB limit.
        var files = new[]
        {
            new UploadFile("user_motion", "user_motion.csv", TestMedia.ExampleMotion(2), "text/csv"),
            new UploadFile("avatar_audio", "avatar.wav", File.ReadAllBytes(RepoPaths.Example("avatar.wav")), "audio/wav"),
        };
        var recordings = await Host.QueryAsync(db => Task.FromResult(db.Recordings.Count()));
        var stored = Host.StoredFiles();

        // Act
        using var response = await Client.PostRecordingAsync(files);

        // Assert
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("avatar_audio: 'avatar.wav' is larger than the 97.7 KB limit (Uploads:MaxFileBytes)", await ApiCalls.ErrorOfAsync(response));
        Assert.Equal(recordings, await Host.QueryAsync(db => Task.FromResult(db.Recordings.Count())));
        Assert.Equal(stored, Host.StoredFiles());
        Assert.Empty(Host.TempFiles());
    }

    [Fact]
    public async Task Upload_FilesUnderTheLimit_Accepted()
    {
        // The same limit lets a 2 s recording through (so the 413 above is about size, not the host).
        var files = new[]
        {
            new UploadFile("avatar_audio", "short.wav", TestMedia.Wav(2, seed: 3), "audio/wav"),
            new UploadFile("user_motion", "user_motion.csv", TestMedia.ExampleMotion(2), "text/csv"),
        };

        var recording = await Client.UploadRecordingAsync(files);

        Assert.Equal(2.0, recording.DurationSeconds, 0.05);
    }

    public sealed class LimitedHost : IAsyncLifetime
    {
        public AvatarLabHost Host { get; } = new(new Dictionary<string, string?> { ["Uploads:MaxFileBytes"] = Limit.ToString() }, worker: false);

        public HttpClient Client { get; private set; } = null!;

        public async Task InitializeAsync() => Client = await Host.RegisterAsync("limits@avatarlab.test");

        public async Task DisposeAsync()
        {
            Client.Dispose();
            await Host.DisposeAsync();
        }
    }
}
