using System.Text;
using AvatarLab.Inference.Motion;

namespace AvatarLab.Inference.Tests.Motion;

public class MotionTrackJsonTests
{
    [Fact]
    public void ReadJson_ValidTrack_ReadsChannelsInRequestedOrder()
    {
        const string json = """
            {"format": "face-params/1", "fps": 30, "extra": true,
             "channels": ["jaw_open", "head_yaw", "unused"],
             "frames": [[0.5, 0.1, 9], [0.6, 0.2, 9]]}
            """;

        var track = Read(json, ["head_yaw", "jaw_open"]);

        Assert.Equal([0.1f, 0.5f, 0.2f, 0.6f], track.Values);
        Assert.Equal(30, track.Fps);
        Assert.Equal(["head_yaw", "jaw_open"], track.ChannelNames);
    }

    [Fact]
    public void ReadJson_MissingChannel_ThrowsNamingIt()
    {
        const string json = """{"format": "face-params/1", "fps": 25, "channels": ["head_yaw"], "frames": [[0.1]]}""";

        var ex = Assert.Throws<MotionTrackFormatException>(() => Read(json, ["head_yaw", "jaw_open"]));

        Assert.Equal("'t.json': channels lacks jaw_open (it lists head_yaw)", ex.Message);
    }

    [Fact]
    public void ReadJson_OtherFormat_ThrowsNamingBoth()
    {
        const string json = """{"format": "blendshapes/2", "fps": 25, "channels": ["x"], "frames": [[0.1]]}""";

        var ex = Assert.Throws<MotionTrackFormatException>(() => Read(json, ["x"]));

        Assert.Equal("'t.json': format is 'blendshapes/2', expected 'face-params/1'", ex.Message);
    }

    [Fact]
    public void ReadJson_MissingFps_ThrowsNamingTheField()
    {
        const string json = """{"format": "face-params/1", "channels": ["x"], "frames": [[0.1]]}""";

        var ex = Assert.Throws<MotionTrackFormatException>(() => Read(json, ["x"]));

        Assert.Equal("'t.json': required field 'fps' is missing", ex.Message);
    }

    [Fact]
    public void ReadJson_ShortFrame_ThrowsNamingTheFrame()
    {
        const string json = """{"format": "face-params/1", "fps": 25, "channels": ["x", "y"], "frames": [[0.1, 0.2], [0.3]]}""";

        var ex = Assert.Throws<MotionTrackFormatException>(() => Read(json, ["x", "y"]));

        Assert.Contains("frames[1] must be an array of 2 numbers", ex.Message);
    }

    [Fact]
    public void ReadJson_StringValue_ThrowsNamingTheCell()
    {
        const string json = """{"format": "face-params/1", "fps": 25, "channels": ["x", "y"], "frames": [[0.1, "NaN"]]}""";

        var ex = Assert.Throws<MotionTrackFormatException>(() => Read(json, ["x", "y"]));

        Assert.Contains("frames[0][1] (y) is not a finite number", ex.Message);
    }

    [Fact]
    public void ReadJson_InvalidJson_ThrowsNamingTheFile()
    {
        var ex = Assert.Throws<MotionTrackFormatException>(() => Read("{\"format\": ", ["x"]));

        Assert.StartsWith("'t.json' is not valid JSON", ex.Message);
    }

    [Fact]
    public void Read_JsonContentUnderTxtName_IsReadAsJson()
    {
        var path = Path.Combine(Path.GetTempPath(), $"avatarlab-track-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, """ {"format": "face-params/1", "fps": 25, "channels": ["x"], "frames": [[0.1]]}""");
        try
        {
            Assert.Equal([0.1f], MotionTrackReader.Read(path, ["x"]).Values);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static MotionTrack Read(string json, IReadOnlyList<string> channels) =>
        MotionTrackReader.ReadJson(new MemoryStream(Encoding.UTF8.GetBytes(json)), "t.json", channels);
}
