using AvatarLab.Server.Storage;
using AvatarLab.Server.Tests.Support;
using AvatarLab.Server.Timeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace AvatarLab.Server.Tests.Charts;

/// <summary>The timeline's saved summary: made once from the telemetry, then read instead of it; a damaged entry is made again.</summary>
public sealed class TimelineCacheTests : IClassFixture<RecordedTimelineFixture>, IDisposable
{
    private readonly RecordedTimeline _recorded;
    private readonly string _root = Directory.CreateTempSubdirectory("avatarlab-timeline-cache-").FullName;
    private readonly BlobStore _store;
    private readonly TimelineCache _cache;

    public TimelineCacheTests(RecordedTimelineFixture fixture)
    {
        _recorded = fixture.Recorded;
        _store = new BlobStore(_root);
        _cache = new TimelineCache(_store, NullLogger<TimelineCache>.Instance);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Summary_SecondTime_IsReadFromTheSavedEntryNotTheTelemetry()
    {
        // Arrange: the recorded telemetry in the store.
        var stored = await _store.ImportCopyAsync(_recorded.Path, default);

        // Act: once from the telemetry, then with the telemetry gone.
        var first = _cache.Summary(stored.Sha256);
        File.Delete(_store.PathOf(stored.Sha256));
        var second = _cache.Summary(stored.Sha256);

        // Assert
        Assert.Single(Directory.GetFiles(_cache.Folder, $"{stored.Sha256}.*.summary"));
        Assert.Equal(first.Schedule, second.Schedule);
        Assert.Equal(first.RecentSelfShare, second.RecentSelfShare);
        Assert.Equal(first.Blocks.Select(b => b.Offset), second.Blocks.Select(b => b.Offset));
    }

    [Fact]
    public async Task Summary_OfADamagedEntry_IsMadeAgainFromTheTelemetry()
    {
        // Arrange
        var stored = await _store.ImportCopyAsync(_recorded.Path, default);
        var expected = _cache.Summary(stored.Sha256);
        var entry = Directory.GetFiles(_cache.Folder, "*.summary").Single();
        File.WriteAllBytes(entry, File.ReadAllBytes(entry)[..100]);

        // Act
        var again = _cache.Summary(stored.Sha256);

        // Assert: the right numbers, and the entry whole again.
        Assert.Equal(expected.Schedule, again.Schedule);
        Assert.Equal(expected.Frames, _cache.Summary(stored.Sha256).Frames);
        Assert.True(new FileInfo(entry).Length > 100);
    }

    [Fact]
    public async Task Loudness_IsSavedPerAudioRateAndFps()
    {
        // Arrange
        var audio = await _store.ImportCopyAsync(RepoPaths.Example("avatar.wav"), default);

        // Act
        var at25 = _cache.Loudness(audio.Sha256, 16000, 25);
        File.Delete(_store.PathOf(audio.Sha256));
        var again = _cache.Loudness(audio.Sha256, 16000, 25);
        var at30 = _cache.Loudness(audio.Sha256, 16000, 30);

        // Assert: 20 s at 25 fps, the same numbers from the entry; another rate needs the audio, which is gone.
        Assert.NotNull(at25);
        Assert.Equal(500, at25.Length);
        Assert.Equal(at25, again);
        Assert.Null(at30);
    }
}
