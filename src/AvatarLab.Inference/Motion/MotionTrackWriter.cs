using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AvatarLab.Inference.Motion;

/// <summary>
/// Writes tracks in the two formats <see cref="MotionTrackReader"/> reads (docs/motion-tracks.md).
/// Numbers use the invariant culture and the shortest text that reads back to the same float,
/// so a write/read round trip is exact.
/// </summary>
public static class MotionTrackWriter
{
    /// <summary>Writes a CSV file: header <c>frame,time,&lt;channels&gt;</c>, one row per frame, time = frame / fps in seconds.</summary>
    public static void WriteCsv(MotionTrack track, string path)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        WriteCsv(track, writer);
    }

    /// <summary>Writes CSV text; see <see cref="WriteCsv(MotionTrack, string)"/>.</summary>
    public static void WriteCsv(MotionTrack track, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(track);
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write($"{MotionTrackCsv.FrameColumn},{MotionTrackCsv.TimeColumn}");
        foreach (var channel in track.ChannelNames)
        {
            writer.Write(',');
            writer.Write(channel);
        }

        writer.Write('\n');
        for (var f = 0; f < track.Frames; f++)
        {
            writer.Write(f.ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write((f / track.Fps).ToString(CultureInfo.InvariantCulture));
            foreach (var value in track.Frame(f))
            {
                writer.Write(',');
                writer.Write(value.ToString(CultureInfo.InvariantCulture));
            }

            writer.Write('\n');
        }
    }

    /// <summary>Writes a JSON file, one frame per line.</summary>
    public static void WriteJson(MotionTrack track, string path)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        WriteJson(track, writer);
    }

    /// <summary>Writes JSON text; see <see cref="WriteJson(MotionTrack, string)"/>.</summary>
    public static void WriteJson(MotionTrack track, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(track);
        ArgumentNullException.ThrowIfNull(writer);

        // Written by hand rather than by Utf8JsonWriter so that each frame is one line: readable
        // and diff-friendly, where the indented writer would put every number on its own line.
        writer.Write($"{{\n  \"format\": \"{MotionTrackJson.Format}\",\n");
        writer.Write($"  \"fps\": {track.Fps.ToString(CultureInfo.InvariantCulture)},\n");
        writer.Write($"  \"channels\": [{string.Join(", ", track.ChannelNames.Select(n => JsonSerializer.Serialize(n)))}],\n");
        writer.Write("  \"frames\": [");
        for (var f = 0; f < track.Frames; f++)
        {
            writer.Write(f == 0 ? "\n    [" : ",\n    [");
            var frame = track.Frame(f);
            for (var c = 0; c < frame.Length; c++)
            {
                if (c > 0)
                {
                    writer.Write(", ");
                }

                writer.Write(frame[c].ToString(CultureInfo.InvariantCulture));
            }

            writer.Write(']');
        }

        writer.Write("\n  ]\n}\n");
    }
}
