namespace AvatarLab.Inference.Measures;

/// <summary>
/// One measure of a session: a number, or null with a short reason a person can act on
/// ("no user motion track", "the avatar never speaks"). metrics.py's NaN is null here.
/// </summary>
public readonly record struct MeasureValue
{
    private MeasureValue(double? value, string? reason) => (Value, Reason) = (value, reason);

    /// <summary>The number; null when the measure could not be computed.</summary>
    public double? Value { get; }

    /// <summary>Why <see cref="Value"/> is null; null when there is a value.</summary>
    public string? Reason { get; }

    /// <summary>A computed value (not NaN: a measure that cannot be computed has a reason).</summary>
    public static MeasureValue Of(double value) => double.IsNaN(value)
        ? throw new ArgumentException("a measure value cannot be NaN; use Missing with a reason", nameof(value))
        : new MeasureValue(value, null);

    /// <summary>A measure that could not be computed, and why.</summary>
    public static MeasureValue Missing(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new MeasureValue(null, reason);
    }

    /// <inheritdoc/>
    public override string ToString() => Value?.ToString("G6", System.Globalization.CultureInfo.InvariantCulture) ?? $"n/a ({Reason})";
}
