using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using AvatarLab.Client.Contracts;
using AvatarLab.Server.Tests.Support;

namespace AvatarLab.Server.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class RecordingUploadTests(ApiHostFixture fixture)
{
    private AvatarLabHost Host => fixture.Host;

    [Fact]
    public async Task Upload_ExampleWavsAndMotionTrack_Returns201AndStoresEachFileUnderItsHash()
    {
        // Arrange
        var files = ApiCalls.ExampleFiles();

        // Act
        using var response = await fixture.Client.PostRecordingAsync(files, "upload happy path");

        // Assert: the answer describes what the engine's readers found.
        await ApiCalls.EnsureStatusAsync(response, HttpStatusCode.Created);
        var recording = (await response.Content.ReadFromJsonAsync<RecordingSummary>())!;
        Assert.Equal($"/api/recordings/{recording.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("upload happy path", recording.Name);
        Assert.Equal(20.0, recording.DurationSeconds, 0.05);
        Assert.Equal(["AvatarAudio", "UserAudio", "UserMotion"], recording.Files.Select(f => f.Kind).Order());
        Assert.All(recording.Files, f => Assert.Equal(20.0, f.DurationSeconds!.Value, 0.05));
        Assert.Equal("Uploaded", Assert.Single(recording.Files, f => f.Kind == "UserMotion").MotionSource);

        // ... each file lies in data/<first two hex digits>/<sha256>, byte for byte, and downloads again.
        foreach (var file in files)
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(file.Content));
            var stored = Path.Combine(Host.StoreDirectory, sha[..2], sha);
            Assert.True(File.Exists(stored), $"{file.FileName} is not stored as {stored}");
            Assert.Equal(file.Content, await File.ReadAllBytesAsync(stored));
        }

        var kind = recording.Files.Single(f => f.FileName == "user.wav").Kind;
        Assert.Equal(files[1].Content, await fixture.Client.GetByteArrayAsync($"/api/recordings/{recording.Id}/files/{kind}"));
        Assert.Empty(Host.TempFiles());
    }

    [Fact]
    public async Task Upload_SameFilesTwice_TwoRecordingsListedButContentStoredOnce()
    {
        // Arrange
        var first = await fixture.Client.UploadRecordingAsync(ApiCalls.ExampleFiles(), "first copy");
        var storedAfterFirst = Host.StoredFiles();
        var rowsAfterFirst = await Host.QueryAsync(db => Task.FromResult(db.StoredFiles.Count()));

        // Act
        var second = await fixture.Client.UploadRecordingAsync(ApiCalls.ExampleFiles(), "second copy");

        // Assert
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(storedAfterFirst, Host.StoredFiles());
        Assert.Equal(rowsAfterFirst, await Host.QueryAsync(db => Task.FromResult(db.StoredFiles.Count())));
        var listed = await fixture.Client.GetFromJsonAsync<List<RecordingSummary>>("/api/recordings");
        Assert.Contains(listed!, r => r.Id == first.Id && r.Name == "first copy");
        Assert.Contains(listed!, r => r.Id == second.Id && r.Name == "second copy");
        var one = await fixture.Client.GetFromJsonAsync<RecordingSummary>($"/api/recordings/{second.Id}");
        Assert.Equal(3, one!.Files.Count);
    }
}
