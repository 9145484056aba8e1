using System.Text;
using AvatarLab.Inference.Motion;

namespace AvatarLab.Inference.Tests.Motion;

public class MotionTrackWriterTests
{
    [Theory]
    [InlineData(25.0)]
    [InlineData(30.0)]
    [InlineData(29.97)]
    public void WriteCsv_ThenRead_GivesTheSameTrack(double fps)
    {
        var track = RandomTrack(fps);
        var csv = new StringWriter();

        MotionTrackWriter.WriteCsv(track, csv);
        var read = MotionTrackReader.ReadCsv(new StringReader(csv.ToString()), "t.csv");

        Assert.Equal(track.Values, read.Values);
        Assert.Equal(fps, read.Fps, 6);
        Assert.Equal(track.ChannelNames, read.ChannelNames);
    }

    [Theory]
    [InlineData(25.0)]
    [InlineData(29.97)]
    public void WriteJson_ThenRead_GivesTheSameTrack(double fps)
    {
        var track = RandomTrack(fps);
        var json = new StringWriter();

        MotionTrackWriter.WriteJson(track, json);
        var read = MotionTrackReader.ReadJson(new MemoryStream(Encoding.UTF8.GetBytes(json.ToString())), "t.json");

        Assert.Equal(track.Values, read.Values);
        Assert.Equal(fps, read.Fps);
    }

    [Fact]
    public void WriteCsv_Header_IsFrameTimeThenChannels()
    {
        var csv = new StringWriter();

        MotionTrackWriter.WriteCsv(MotionTrack.Zeros(2, 12, 25), csv);

        var lines = csv.ToString().Split('\n');
        Assert.Equal("frame,time," + string.Join(',', FaceParams.Names), lines[0]);
        Assert.StartsWith("1,0.04,0,", lines[2]);
    }

    [Fact]
    public void WriteJson_File_HasOneFramePerLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"avatarlab-track-{Guid.NewGuid():N}.json");
        try
        {
            MotionTrackWriter.WriteJson(MotionTrack.Zeros(3, 12, 25), path);

            var lines = File.ReadAllLines(path);
            Assert.Equal(3, lines.Count(l => l.TrimStart().StartsWith('[') && l.Contains(']')));
            Assert.Equal(3, MotionTrackReader.Read(path).Frames);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static MotionTrack RandomTrack(double fps)
    {
        var random = new Random(12);
        var values = Enumerable.Range(0, 40 * 12).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        return new MotionTrack(values, FaceParams.Names, fps);
    }
}
