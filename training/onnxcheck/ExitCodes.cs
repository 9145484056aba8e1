namespace AvatarLab.OnnxCheck;

/// <summary>Process exit codes of the check, relied on by scripts that call it.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Mismatch = 1;
    public const int BadInput = 2;
}
