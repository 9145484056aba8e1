namespace AvatarLab.Inference.Packages;

/// <summary>How <see cref="DimRule"/> checks a declared axis size; a symbolic (unknown) size always passes.</summary>
internal enum DimKind
{
    /// <summary>A fixed size must equal the manifest's value.</summary>
    Manifest,

    /// <summary>A fixed size must equal the contract's value.</summary>
    Contract,

    /// <summary>
    /// Inputs must leave the axis symbolic, because ONNX Runtime rejects any other size at
    /// run time and the engine varies it; outputs may declare any size, because ONNX Runtime
    /// does not enforce declared output shapes (an exporter may leave a traced size there).
    /// </summary>
    Dynamic,
}
