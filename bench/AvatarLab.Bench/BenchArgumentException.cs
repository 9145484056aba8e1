namespace AvatarLab.Bench;

/// <summary>A command-line argument or the model package is unusable; the message is the one line shown.</summary>
internal sealed class BenchArgumentException(string message) : Exception(message);
