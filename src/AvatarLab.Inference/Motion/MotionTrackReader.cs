namespace AvatarLab.Inference.Motion;

/// <summary>
/// Reads motion tracks from CSV or JSON files (docs/motion-tracks.md), selecting the requested
/// channels by name in the requested order. Every problem is a
/// <see cref="MotionTrackFormatException"/> naming the file and the place.
/// </summary>
public static class MotionTrackReader
{
    /// <summary>
    /// Reads a track; <c>.json</c> files (or content starting with <c>{</c>) as JSON, everything
    /// else as CSV.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="channels">Channels to read, in this order; null for <see cref="FaceParams.Names"/>.</param>
    /// <param name="defaultFps">Frame rate of a CSV without a time column; JSON always states its own.</param>
    public static MotionTrack Read(string path, IReadOnlyList<string>? channels = null, double? defaultFps = null)
    {
        var name = Path.GetFileName(path);
        try
        {
            using var stream = File.OpenRead(path);
            var isJson = Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase) || StartsWithBrace(stream);
            stream.Position = 0;
            return isJson ? ReadJson(stream, name, channels) : ReadCsv(new StreamReader(stream), name, channels, defaultFps);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MotionTrackFormatException($"cannot read '{name}': {ex.Message}", ex);
        }
    }

    /// <summary>Reads a CSV track (header <c>frame,time,&lt;channels&gt;</c>; frame and time optional).</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="name">The name messages use for the source.</param>
    /// <param name="channels">Channels to read, in this order; null for <see cref="FaceParams.Names"/>.</param>
    /// <param name="defaultFps">Frame rate when there is no time column (or a single frame).</param>
    public static MotionTrack ReadCsv(TextReader reader, string name, IReadOnlyList<string>? channels = null, double? defaultFps = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return MotionTrackCsv.Read(reader, name, Channels(channels), defaultFps);
    }

    /// <summary>Reads a JSON track (<c>{"format":"face-params/1","fps":..,"channels":[..],"frames":[[..],..]}</c>).</summary>
    /// <param name="stream">UTF-8 JSON.</param>
    /// <param name="name">The name messages use for the source.</param>
    /// <param name="channels">Channels to read, in this order; null for <see cref="FaceParams.Names"/>.</param>
    public static MotionTrack ReadJson(Stream stream, string name, IReadOnlyList<string>? channels = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return MotionTrackJson.Read(stream, name, Channels(channels));
    }

    private static IReadOnlyList<string> Channels(IReadOnlyList<string>? channels)
    {
        channels ??= FaceParams.Names;
        return channels.Count > 0 ? channels : throw new ArgumentException("at least one channel is needed", nameof(channels));
    }

    private static bool StartsWithBrace(Stream stream)
    {
        // Skip a UTF-8 byte order mark and whitespace.
        int b;
        do
        {
            b = stream.ReadByte();
        }
        while (b is 0xEF or 0xBB or 0xBF or ' ' or '\t' or '\r' or '\n');

        return b == '{';
    }
}
