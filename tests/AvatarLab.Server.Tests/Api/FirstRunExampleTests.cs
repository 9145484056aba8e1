using System.Net.Http.Json;
using AvatarLab.Client.Contracts;
using AvatarLab.Server.Tests.Support;

namespace AvatarLab.Server.Tests.Api;

public sealed class FirstRunExampleTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("avatarlab-example-tests-").FullName;
    private readonly Dictionary<string, string?> _exampleOn = new() { ["Example:RunOnFirstStart"] = "true" };

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task FirstStart_ExampleEnabled_ImportsOneRecordingAndRunsItOnceOnly()
    {
        // Arrange
        await using (var host = new AvatarLabHost(_exampleOn, dataDirectory: _data))
        {
            using var client = await host.RegisterAsync("example@avatarlab.test");

            // Act: a fresh database.
            var recording = Assert.Single((await client.GetFromJsonAsync<List<RecordingSummary>>("/api/recordings"))!);
            var session = Assert.Single((await client.GetFromJsonAsync<List<SessionSummary>>("/api/sessions"))!);
            var done = await host.WaitForFinishAsync(client, session.Id);

            // Assert: the example conversation (training/example), run to the end.
            Assert.Equal("Example conversation", recording.Name);
            Assert.Equal(["AvatarAudio", "UserAudio", "UserMotion"], recording.Files.Select(f => f.Kind).Order());
            Assert.Equal(recording.Id, session.RecordingId);
            Assert.True(done.Status == "Succeeded", $"the example run ended {done.Status}: {done.Error}");
            Assert.Equal((500, 7L), (done.Frames, done.Seed));
        }

        // Act: a second start on the same database imports nothing more.
        await using var restarted = new AvatarLabHost(_exampleOn, worker: false, dataDirectory: _data);
        using var again = await restarted.SignInAsync("example@avatarlab.test");

        // Assert
        Assert.Single((await again.GetFromJsonAsync<List<RecordingSummary>>("/api/recordings"))!);
        Assert.Single((await again.GetFromJsonAsync<List<SessionSummary>>("/api/sessions"))!);
    }
}
