using System.Globalization;

namespace AvatarLab.Inference.Motion;

/// <summary>
/// The CSV form of a track: a header row, then one row per frame. Columns <c>frame</c> and
/// <c>time</c> (seconds) are optional; channels are found by name (case-insensitive), in any
/// order; other columns are ignored. Values use the invariant culture (<c>.</c> decimal point).
/// </summary>
internal static class MotionTrackCsv
{
    public const string FrameColumn = "frame";
    public const string TimeColumn = "time";

    public static MotionTrack Read(TextReader reader, string name, IReadOnlyList<string> channels, double? defaultFps)
    {
        var lineNumber = 0;
        string? line;
        do
        {
            line = reader.ReadLine();
            lineNumber++;
        }
        while (line is not null && string.IsNullOrWhiteSpace(line));

        if (line is null)
        {
            throw new MotionTrackFormatException($"'{name}' is empty (expected a header row such as frame,time,{string.Join(',', channels)})");
        }

        var header = line.Split(',', StringSplitOptions.TrimEntries);
        var columns = ChannelColumns(header, channels, name);
        var timeColumn = Array.FindIndex(header, h => h.Equals(TimeColumn, StringComparison.OrdinalIgnoreCase));

        var values = new List<float>();
        var times = new List<double>();
        var timeDecimals = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var cells = line.Split(',', StringSplitOptions.TrimEntries);
            if (cells.Length != header.Length)
            {
                throw new MotionTrackFormatException($"'{name}' line {lineNumber}: {cells.Length} cells, the header has {header.Length}");
            }

            foreach (var column in columns)
            {
                values.Add((float)ParseCell(cells, column, header, lineNumber, name));
            }

            if (timeColumn >= 0)
            {
                times.Add(ParseCell(cells, timeColumn, header, lineNumber, name));
                timeDecimals = Math.Max(timeDecimals, Decimals(cells[timeColumn]));
            }
        }

        var frames = values.Count / channels.Count;
        if (frames == 0)
        {
            throw new MotionTrackFormatException($"'{name}' has a header but no frames");
        }

        var fps = timeColumn >= 0 && frames >= 2 ? FpsFromTimes(times, timeDecimals, name) : defaultFps;
        if (fps is null)
        {
            throw new MotionTrackFormatException($"'{name}' has no time column to give its frame rate, and none was given");
        }

        return new MotionTrack([.. values], [.. channels], fps.Value);
    }

    private static int[] ChannelColumns(string[] header, IReadOnlyList<string> channels, string name)
    {
        var duplicate = header.GroupBy(h => h, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new MotionTrackFormatException($"'{name}': column '{duplicate.Key}' appears more than once in the header");
        }

        var columns = channels.Select(c => Array.FindIndex(header, h => h.Equals(c, StringComparison.OrdinalIgnoreCase))).ToArray();
        var missing = channels.Where((_, i) => columns[i] < 0).ToList();
        if (missing.Count > 0)
        {
            throw new MotionTrackFormatException(
                $"'{name}' lacks channel column(s) {string.Join(", ", missing)} (header: {string.Join(',', header)})");
        }

        return columns;
    }

    private static double ParseCell(string[] cells, int column, string[] header, int lineNumber, string name)
    {
        var cell = cells[column];
        if (cell.Length == 0)
        {
            throw new MotionTrackFormatException($"'{name}' line {lineNumber}, column '{header[column]}': blank cell");
        }

        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new MotionTrackFormatException($"'{name}' line {lineNumber}, column '{header[column]}': '{cell}' is not a finite number");
        }

        return value;
    }

    /// <summary>Digits after the decimal point; a number in exponent form counts as full precision.</summary>
    private static int Decimals(string cell)
    {
        if (cell.Contains('e', StringComparison.OrdinalIgnoreCase))
        {
            return 17;
        }

        var point = cell.IndexOf('.', StringComparison.Ordinal);
        return point < 0 ? 0 : cell.Length - point - 1;
    }

    /// <summary>
    /// Frame rate from the time column: (frames - 1) / (last - first), snapped to the nearest
    /// integer when the difference is within what the rounding of the times explains. Times
    /// written with d decimals (the example tracks use 2) are off by up to 0.5 * 10^-d at each
    /// end, which moves the estimate by up to fps^2 * 10^-d / (frames - 1); 10% is added for
    /// floating point. Full-precision times leave 29.97 fps as it is.
    /// </summary>
    private static double FpsFromTimes(List<double> times, int decimals, string name)
    {
        for (var i = 1; i < times.Count; i++)
        {
            if (times[i] <= times[i - 1])
            {
                throw new MotionTrackFormatException(
                    $"'{name}': times must increase, but frame {i} is at {times[i].ToString(CultureInfo.InvariantCulture)} s after {times[i - 1].ToString(CultureInfo.InvariantCulture)} s");
            }
        }

        var intervals = times.Count - 1;
        var estimate = intervals / (times[^1] - times[0]);
        var nearest = Math.Round(estimate);
        var tolerance = estimate * estimate * 1.1 * Math.Pow(10, -decimals) / intervals;
        return nearest > 0 && Math.Abs(estimate - nearest) <= tolerance ? nearest : estimate;
    }
}
