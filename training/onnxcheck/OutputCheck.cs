namespace AvatarLab.OnnxCheck;

/// <summary>
/// The comparison of one model output with its expected array. <see cref="MaxAbsDiff"/> is
/// NaN when no comparison was possible (a shape mismatch); <see cref="Failure"/> says why the
/// output failed, or is null when it passed.
/// </summary>
internal sealed record OutputCheck(string Output, long[] Shape, double MaxAbsDiff, string? Failure)
{
    public bool Passed => Failure is null;
}

/// <summary>The outcome of one case: its output checks, or the error that stopped the run.</summary>
internal sealed record CaseResult(string Case, IReadOnlyList<OutputCheck> Outputs, string? RunError)
{
    public bool Passed => RunError is null && Outputs.All(o => o.Passed);
}
