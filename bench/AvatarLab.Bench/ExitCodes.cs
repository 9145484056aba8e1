namespace AvatarLab.Bench;

/// <summary>Process exit codes, relied on by scripts that run the benchmarks.</summary>
internal static class ExitCodes
{
    /// <summary>The benchmarks ran; a missed target is reported in the output, not in the exit code.</summary>
    public const int Ok = 0;

    /// <summary>Bad arguments, or a model package that cannot be opened.</summary>
    public const int BadArguments = 2;
}
