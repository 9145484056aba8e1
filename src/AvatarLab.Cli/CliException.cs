namespace AvatarLab.Cli;

/// <summary>A bad argument or file: printed as one line, exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
