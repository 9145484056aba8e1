using AvatarLab.Inference.Audio;
using AvatarLab.Inference.Measures;
using AvatarLab.Inference.Motion;
using AvatarLab.Server.Storage;
using AvatarLab.Server.Tests.Support;
using AvatarLab.Server.Timeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace AvatarLab.Server.Tests.Charts;

/// <summary>The timeline's saved summary, loudness and measures: made once, then read instead; a damaged entry is made again.</summary>
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

    [Fact]
    public void Measures_SavedThenRead_AreTheComputedReportAndADamagedEntryIsNone()
    {
        // Arrange: the example conversation's measures (its ground-truth track as the avatar's), and
        // values JSON has no number for (NaN, -inf) at the end of the user's loudness.
        var avatar = MotionTrackReader.Read(RepoPaths.Example("avatar_motion_gt.csv"), null, 25);
        var user = MotionTrackReader.Read(RepoPaths.Example("user_motion.csv"), null, 25);
        var avatarAudio = AudioDecoder.Load(RepoPaths.Example("avatar.wav"), 16000, maxSeconds: double.MaxValue).Samples;
        var userAudio = AudioDecoder.Load(RepoPaths.Example("user.wav"), 16000, maxSeconds: double.MaxValue).Samples;
        var computed = SessionMeasures.Compute(avatar.Values, avatar.Channels, user.Values, avatarAudio, userAudio, 25, 16000, faceParams: true);
        var report = computed with { UserLoudnessDb = [.. computed.UserLoudnessDb!, double.NaN, double.NegativeInfinity] };
        var key = TimelineCache.MeasuresKey("motion", "user", "avatar-audio", "user-audio", 25, 16000, faceParams: true);

        // Act
        Assert.Null(_cache.SavedMeasures(key));
        _cache.SaveMeasures(key, report);
        var saved = _cache.SavedMeasures(key);

        // Assert: every value or reason, array, speech mask, channel sync and note as computed.
        Assert.NotNull(saved);
        Assert.Equal(report.Values.OrderBy(v => v.Key), saved.Values.OrderBy(v => v.Key));
        Assert.Contains(report.Values.Values, v => v.Value is null);
        Assert.Contains(report.Values.Values, v => v.Value is not null);
        Assert.Equal(report.AvatarLoudnessDb, saved.AvatarLoudnessDb);
        Assert.Equal(report.UserLoudnessDb, saved.UserLoudnessDb);
        Assert.Equal(report.AvatarSpeech!.Speaking, saved.AvatarSpeech!.Speaking);
        Assert.Equal(report.AvatarSpeech.Levels, saved.AvatarSpeech.Levels);
        Assert.Equal(report.UserSpeech!.Speaking, saved.UserSpeech!.Speaking);
        Assert.NotEmpty(report.UserSync);
        Assert.Equal(report.UserSync.Select(c => (c.Channel, c.PeakPcc, c.PeakLagSeconds)), saved.UserSync.Select(c => (c.Channel, c.PeakPcc, c.PeakLagSeconds)));
        Assert.All(report.UserSync.Zip(saved.UserSync), p => Assert.Equal(p.First.PccByLag, p.Second.PccByLag));
        Assert.Equal(report.Notes, saved.Notes);
        Assert.Equal((report.Fps, report.AvatarFrames, report.FaceParams), (saved.Fps, saved.AvatarFrames, saved.FaceParams));

        // Other inputs are another entry; a damaged entry reads as none (and is then computed again).
        Assert.Null(_cache.SavedMeasures(TimelineCache.MeasuresKey("motion", null, "avatar-audio", "user-audio", 25, 16000, faceParams: true)));
        var entry = Directory.GetFiles(_cache.Folder, "*.measures.json").Single();
        File.WriteAllText(entry, "{\"Fps\": 25, \"Values\": {\"Sid");
        Assert.Null(_cache.SavedMeasures(key));
    }
}
