namespace AvatarLab.Inference.Packages;

/// <summary>What the contract says about one axis of an ONNX input or output.</summary>
/// <param name="Label">The contract's name for the axis (D, L, hd, B, N, ...).</param>
/// <param name="Kind">How the declared size is checked.</param>
/// <param name="Value">The required size for <see cref="DimKind.Manifest"/> and <see cref="DimKind.Contract"/>.</param>
/// <param name="Source">The manifest field that fixes the size, as the error message names it.</param>
internal readonly record struct DimRule(string Label, DimKind Kind, long Value = 0, string Source = "")
{
    /// <summary>A size the manifest fixes (D, Fa, Fu, Fm, L, H, hd, imageSize, dims of encoders).</summary>
    public static DimRule Manifest(string label, long value, string source) => new(label, DimKind.Manifest, value, source);

    /// <summary>A size the contract itself fixes (the 1 of a single portrait, the 3 of RGB).</summary>
    public static DimRule Contract(string label, long value) => new(label, DimKind.Contract, value);

    /// <summary>A size the engine varies from call to call (B, N, P, Pc, S, T).</summary>
    public static DimRule Dynamic(string label) => new(label, DimKind.Dynamic);
}
