using System.Globalization;
using AvatarLab.Inference.Motion;
using AvatarLab.Inference.Tests.Support;

namespace AvatarLab.Inference.Tests.Motion;

public class MotionTrackCsvTests
{
    private static readonly string _header = "frame,time," + string.Join(',', FaceParams.Names);

    [Fact]
    public void Read_ExampleUserMotion_Is500FramesOf12ChannelsAt25Fps()
    {
        var track = MotionTrackReader.Read(Path.Combine(RepoPaths.Root, "training", "example", "user_motion.csv"));

        Assert.Equal(500, track.Frames);
        Assert.Equal(12, track.Channels);
        Assert.Equal(25, track.Fps);
        // The file's first row: 0,0.00,0.06355,-0.03537,0.04199,0.00000,0.14777,...
        Assert.Equal([0.06355f, -0.03537f, 0.04199f, 0f, 0.14777f], track.Frame(0)[..5].ToArray());
    }

    [Fact]
    public void ReadCsv_NoFrameOrTimeColumns_UsesTheDefaultFps()
    {
        var csv = "head_yaw,jaw_open\n0.1,0.2\n0.3,0.4\n";

        var track = MotionTrackReader.ReadCsv(new StringReader(csv), "t.csv", ["head_yaw", "jaw_open"], defaultFps: 25);

        Assert.Equal([0.1f, 0.2f, 0.3f, 0.4f], track.Values);
        Assert.Equal(25, track.Fps);
    }

    [Fact]
    public void ReadCsv_NoTimeColumnAndNoDefault_ThrowsAskingForFps()
    {
        var ex = Assert.Throws<MotionTrackFormatException>(() =>
            MotionTrackReader.ReadCsv(new StringReader("x\n1\n2\n"), "t.csv", ["x"]));

        Assert.Contains("no time column", ex.Message);
    }

    [Fact]
    public void ReadCsv_ColumnsReorderedWithExtras_MatchesChannelsByName()
    {
        var csv = "confidence,jaw_open,time,Head_Yaw,note\n0.9,0.5,0.00,0.1,abc\n0.8,0.6,0.04,0.2,def\n";

        var track = MotionTrackReader.ReadCsv(new StringReader(csv), "t.csv", ["head_yaw", "jaw_open"]);

        Assert.Equal([0.1f, 0.5f, 0.2f, 0.6f], track.Values);
        Assert.Equal(25, track.Fps);
    }

    [Fact]
    public void ReadCsv_MissingChannels_ThrowsNamingEachOne()
    {
        var names = FaceParams.Names.Where(n => n is not ("jaw_open" or "gaze_y"));
        var csv = "frame,time," + string.Join(',', names) + "\n";

        var ex = Assert.Throws<MotionTrackFormatException>(() => MotionTrackReader.ReadCsv(new StringReader(csv), "user.csv"));

        Assert.Contains("'user.csv' lacks channel column(s) jaw_open, gaze_y", ex.Message);
    }

    [Theory]
    [InlineData("NaN", "'NaN' is not a finite number")]
    [InlineData("", "blank cell")]
    [InlineData("abc", "'abc' is not a finite number")]
    [InlineData("Infinity", "'Infinity' is not a finite number")]
    public void ReadCsv_BadCell_ThrowsWithLineAndColumn(string cell, string problem)
    {
        var row = Enumerable.Repeat("0.1", 12).ToArray();
        row[FaceParams.JawOpen] = cell;
        var csv = $"{_header}\n0,0.00,{string.Join(',', Enumerable.Repeat("0", 12))}\n1,0.04,{string.Join(',', row)}\n";

        var ex = Assert.Throws<MotionTrackFormatException>(() => MotionTrackReader.ReadCsv(new StringReader(csv), "user.csv"));

        Assert.Equal($"'user.csv' line 3, column 'jaw_open': {problem}", ex.Message);
    }

    [Fact]
    public void ReadCsv_RowWithMissingCells_ThrowsWithLine()
    {
        var csv = $"{_header}\n0,0.00,1,2,3\n";

        var ex = Assert.Throws<MotionTrackFormatException>(() => MotionTrackReader.ReadCsv(new StringReader(csv), "user.csv"));

        Assert.Equal("'user.csv' line 2: 5 cells, the header has 14", ex.Message);
    }

    [Fact]
    public void ReadCsv_HeaderOnly_ThrowsNoFrames()
    {
        var ex = Assert.Throws<MotionTrackFormatException>(() => MotionTrackReader.ReadCsv(new StringReader(_header + "\n"), "user.csv"));

        Assert.Contains("no frames", ex.Message);
    }

    [Fact]
    public void ReadCsv_TimesGoingBack_Throws()
    {
        var csv = "time,x\n0.00,1\n0.04,1\n0.02,1\n";

        var ex = Assert.Throws<MotionTrackFormatException>(() => MotionTrackReader.ReadCsv(new StringReader(csv), "t.csv", ["x"]));

        Assert.Contains("times must increase", ex.Message);
    }

    [Fact]
    public void ReadCsv_30FpsTimesWithTwoDecimals_Gives30Fps()
    {
        var rows = Enumerable.Range(0, 90).Select(f => (f / 30.0).ToString("0.00", CultureInfo.InvariantCulture) + ",0.5");

        var track = MotionTrackReader.ReadCsv(new StringReader("time,x\n" + string.Join('\n', rows)), "t.csv", ["x"]);

        Assert.Equal(30, track.Fps);
    }

    [Fact]
    public void ReadCsv_UnderACommaDecimalCulture_StillReadsPointDecimals()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var track = MotionTrackReader.ReadCsv(new StringReader("x\n0.25\n"), "t.csv", ["x"], defaultFps: 25);

            Assert.Equal([0.25f], track.Values);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
