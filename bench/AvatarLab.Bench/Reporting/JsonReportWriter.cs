using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AvatarLab.Bench.Reporting;

/// <summary>Writes the report as JSON (camelCase, indented) for scripts and for comparing runs.</summary>
internal static class JsonReportWriter
{
    // The report is read by scripts and people, never embedded in HTML: "<=" stays "<=" rather than "\u003C=".
    private static readonly JsonSerializerOptions _options = new(BenchJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(BenchmarkReport report) => JsonSerializer.Serialize(report, _options);

    public static void Write(BenchmarkReport report, TextWriter output) => output.WriteLine(Serialize(report));

    public static void WriteFile(BenchmarkReport report, string path) => File.WriteAllText(path, Serialize(report) + "\n");
}

/// <summary>
/// Source-generated serializer: no reflection at run time. NaN and infinities (a ratio with a
/// zero denominator) are written as the strings JSON allows instead of failing the run.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(BenchmarkReport))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
