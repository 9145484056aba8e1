using System.Globalization;

namespace AvatarLab.Cli;

/// <summary>Minimal `--name value` / `--flag` parser that rejects unknown and repeated options.</summary>
internal sealed class ArgReader
{
    private readonly Dictionary<string, string?> _values = [];

    public ArgReader(IEnumerable<string> args, IReadOnlySet<string> valued, IReadOnlySet<string> flags)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !(valued.Contains(name) || flags.Contains(name)))
            {
                throw new CliException($"unknown option '{name}' (see --help)");
            }

            if (_values.ContainsKey(name))
            {
                throw new CliException($"option '{name}' given twice");
            }

            if (flags.Contains(name))
            {
                _values[name] = null;
                continue;
            }

            if (!e.MoveNext() || e.Current.StartsWith("--", StringComparison.Ordinal))
            {
                throw new CliException($"option '{name}' needs a value");
            }

            _values[name] = e.Current;
        }
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? String(string name) => _values.GetValueOrDefault(name);

    public string Required(string name) => String(name) ?? throw new CliException($"missing required option '{name}'");

    public string? ExistingFile(string name)
    {
        var path = String(name);
        if (path is not null && !File.Exists(path) && !Directory.Exists(path))
        {
            throw new CliException($"{name}: '{path}' does not exist");
        }

        return path;
    }

    public int? Int(string name, int min, int max) => Number(name, s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null, min, max);

    public double? Double(string name, double min, double max) =>
        Number(name, s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null, min, max);

    public ulong? ULong(string name) =>
        String(name) is { } s ? ulong.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
            : throw new CliException($"{name}: '{s}' is not a non-negative integer") : null;

    public T? Enum<T>(string name, IReadOnlyDictionary<string, T> names) where T : struct =>
        String(name) is { } s ? names.TryGetValue(s, out var v) ? v
            : throw new CliException($"{name}: '{s}' is not one of {string.Join(", ", names.Keys)}") : null;

    private T? Number<T>(string name, Func<string, T?> parse, T min, T max) where T : struct, IComparable<T>
    {
        if (String(name) is not { } s)
        {
            return null;
        }

        var value = parse(s) ?? throw new CliException($"{name}: '{s}' is not a number");
        return value.CompareTo(min) < 0 || value.CompareTo(max) > 0
            ? throw new CliException($"{name}: {s} is outside {min}..{max}")
            : value;
    }
}
