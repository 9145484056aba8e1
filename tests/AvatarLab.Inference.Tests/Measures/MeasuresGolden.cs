using System.Text.Json;
using AvatarLab.Inference.Audio;
using AvatarLab.Inference.IO;
using AvatarLab.Inference.Tests.Support;

namespace AvatarLab.Inference.Tests.Measures;

/// <summary>
/// tests/fixtures/golden/measures, written by training/avatarlab_train/golden_measures.py
/// (its docstring lists the files): inputs as .npy, expected outputs in measures.json with
/// NaN as null, the example conversation's audio read from training/example.
/// </summary>
internal static class MeasuresGolden
{
    public const int Fps = 25;
    public const int SampleRate = 16000;
    public const int Channels = 12;

    private static readonly Lazy<JsonElement> _json = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "measures.json"))).RootElement);

    public static string Folder => RepoPaths.Fixture("golden/measures");

    /// <summary>The root of measures.json.</summary>
    public static JsonElement Json => _json.Value;

    /// <summary>A float32 .npy of the folder.</summary>
    public static float[] Floats(string file) => (float[])NpyReader.Read(Path.Combine(Folder, file)).Data;

    /// <summary>The example conversation's audio ("user" or "avatar"), int16 / 32768 as the script reads it.</summary>
    public static float[] ExampleAudio(string who) =>
        WavReader.Read(Path.Combine(RepoPaths.Root, "training", "example", who + ".wav"), 60).Samples;

    /// <summary>A JSON number, null as NaN.</summary>
    public static double Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble();

    /// <summary>A JSON array of numbers, null as NaN.</summary>
    public static double[] Numbers(JsonElement e) => [.. e.EnumerateArray().Select(Number)];

    /// <summary>A JSON array of 0/1.</summary>
    public static bool[] Flags(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetInt32() != 0)];

    /// <summary>Largest |expected - actual| over two equally long series, NaN only matching NaN.</summary>
    public static double MaxAbsDiff(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var max = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(double.IsNaN(expected[i]) == double.IsNaN(actual[i]), $"NaN mismatch at {i}: {expected[i]} vs {actual[i]}");
            if (!double.IsNaN(expected[i]))
            {
                max = Math.Max(max, Math.Abs(expected[i] - actual[i]));
            }
        }

        return max;
    }

    /// <summary>Asserts two series agree within <paramref name="tolerance"/> and returns the largest difference.</summary>
    public static double AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance)
    {
        var max = MaxAbsDiff(expected, actual);
        Assert.True(max <= tolerance, $"max abs diff {max:E3} > {tolerance:E1}");
        return max;
    }
}
