using System.Net;
using System.Text;
using AvatarLab.Server.Tests.Support;

namespace AvatarLab.Server.Tests.Api;

/// <summary>
/// Bad uploads are refused with one line that names the field, the file as uploaded (not the
/// server's temporary copy) and the problem, and leave nothing behind.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RecordingRejectionTests(ApiHostFixture fixture)
{
    private static readonly UploadFile _userAudio = new("user_audio", "user.wav", File.ReadAllBytes(RepoPaths.Example("user.wav")), "audio/wav");
    private static readonly UploadFile _avatarAudio = new("avatar_audio", "avatar.wav", File.ReadAllBytes(RepoPaths.Example("avatar.wav")), "audio/wav");

    [Fact]
    public async Task Upload_RandomBytesNamedWav_Returns415NamingTheFile()
    {
        var noise = new byte[48_000];
        new Random(7).NextBytes(noise);

        var error = await PostRejectedAsync([new UploadFile("avatar_audio", "broken.wav", noise, "audio/wav"), _userAudio],
            HttpStatusCode.UnsupportedMediaType);

        Assert.StartsWith("avatar_audio: 'broken.wav' is not a readable WAV file: not a RIFF/WAVE file", error);
    }

    [Fact]
    public async Task Upload_WavWithTruncatedData_Returns415NamingTheFile()
    {
        // A real WAV header whose data chunk claims 20 s but holds 0.1 s.
        var whole = TestMedia.Wav(20);
        var truncated = whole[..(44 + 3200)];

        var error = await PostRejectedAsync([new UploadFile("user_audio", "cut.wav", truncated, "audio/wav")], HttpStatusCode.UnsupportedMediaType);

        Assert.StartsWith("user_audio: 'cut.wav' is not a readable WAV file: truncated", error);
    }

    [Fact]
    public async Task Upload_TextFileAsUserVideo_Returns415SayingItIsNotAVideo()
    {
        var text = Encoding.UTF8.GetBytes("these are notes, not a video\n");

        var error = await PostRejectedAsync([_avatarAudio, new UploadFile("user_video", "notes.txt", text, "text/plain")],
            HttpStatusCode.UnsupportedMediaType);

        Assert.StartsWith("user_video: 'notes.txt' is not a readable video", error);
    }

    [Fact]
    public async Task Upload_TextFileAsAudio_Returns415NamingTheFile()
    {
        var text = Encoding.UTF8.GetBytes("these are notes, not audio\n");

        var error = await PostRejectedAsync([new UploadFile("avatar_audio", "notes.txt", text, "text/plain")], HttpStatusCode.UnsupportedMediaType);

        Assert.StartsWith("avatar_audio: 'notes.txt': ffmpeg could not decode it", error);
    }

    [Fact]
    public async Task Upload_WavAt4000Hz_Returns400NamingTheRateAndTheAcceptedRange()
    {
        var wav = TestMedia.Wav(2, sampleRate: 4000);

        var error = await PostRejectedAsync([new UploadFile("avatar_audio", "low.wav", wav, "audio/wav")], HttpStatusCode.BadRequest);

        Assert.Equal("avatar_audio: 'low.wav' has a sample rate of 4000 Hz; accepted are 8000..192000 Hz", error);
    }

    [Fact]
    public async Task Upload_20sAudioWith5sMotionTrack_Returns400NamingBothStreamsAndLengths()
    {
        var shortMotion = new UploadFile("user_motion", "short.csv", TestMedia.ExampleMotion(5), "text/csv");

        var error = await PostRejectedAsync([_avatarAudio, _userAudio, shortMotion], HttpStatusCode.BadRequest);

        Assert.StartsWith("the streams' lengths do not match: user_motion is 5.00 s but ", error);
        Assert.Contains("is 20.00 s", error);
        Assert.Contains("Uploads:LengthToleranceSeconds", error);
    }

    [Fact]
    public async Task Upload_UnknownFileField_Returns400NamingTheField()
    {
        var error = await PostRejectedAsync([_avatarAudio, new UploadFile("extra_audio", "extra.wav", TestMedia.Wav(20), "audio/wav")],
            HttpStatusCode.BadRequest);

        Assert.StartsWith("unknown file field 'extra_audio'", error);
    }

    [Fact]
    public async Task Upload_MotionTrackWithoutAudio_Returns400AskingForAudio()
    {
        var motion = new UploadFile("user_motion", "user_motion.csv", TestMedia.ExampleMotion(20), "text/csv");

        var error = await PostRejectedAsync([motion], HttpStatusCode.BadRequest);

        Assert.Equal("a recording needs the avatar's audio (avatar_audio) or the user's audio (user_audio)", error);
    }

    [Fact]
    public async Task Upload_MotionCsvWithWrongHeader_Returns415NamingFileAndMissingChannels()
    {
        var csv = Encoding.UTF8.GetString(TestMedia.ExampleMotion(20)).Replace("head_yaw", "yaw", StringComparison.Ordinal);
        var motion = new UploadFile("user_motion", "renamed.csv", Encoding.UTF8.GetBytes(csv), "text/csv");

        var error = await PostRejectedAsync([_avatarAudio, motion], HttpStatusCode.UnsupportedMediaType);

        Assert.StartsWith("user_motion: 'renamed.csv' lacks channel column(s) head_yaw", error);
    }

    [Fact]
    public async Task Upload_NotMultipart_Returns415()
    {
        using var content = new ByteArrayContent(_avatarAudio.Content);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("audio/wav");

        using var response = await fixture.Client.PostAsync("/api/recordings", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("expected a multipart/form-data request", await ApiCalls.ErrorOfAsync(response));
    }

    /// <summary>Posts an upload that must be refused with <paramref name="status"/>; checks nothing was stored; returns the error line.</summary>
    private async Task<string> PostRejectedAsync(UploadFile[] files, HttpStatusCode status)
    {
        var host = fixture.Host;
        var recordings = await host.QueryAsync(db => Task.FromResult(db.Recordings.Count()));
        var rows = await host.QueryAsync(db => Task.FromResult(db.StoredFiles.Count()));
        var stored = host.StoredFiles();

        using var response = await fixture.Client.PostRecordingAsync(files);

        Assert.Equal(status, response.StatusCode);
        var error = await ApiCalls.ErrorOfAsync(response);
        Assert.Equal(recordings, await host.QueryAsync(db => Task.FromResult(db.Recordings.Count())));
        Assert.Equal(rows, await host.QueryAsync(db => Task.FromResult(db.StoredFiles.Count())));
        Assert.Equal(stored, host.StoredFiles());
        Assert.Empty(host.TempFiles());
        Assert.DoesNotContain(host.DataDirectory, error);
        return error;
    }
}
