namespace AvatarLab.Inference.Audio;

/// <summary>Finds the ffmpeg executable: a configured path, or the first <c>ffmpeg</c> on PATH.</summary>
public static class FfmpegLocator
{
    /// <summary>The configured path when it exists, else a search of <paramref name="searchPath"/>; null when there is none.</summary>
    public static string? Find(string? configured, string? searchPath)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        var name = OperatingSystem.IsWindows() ? "ffmpeg.exe" : "ffmpeg";
        foreach (var directory in (searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary><see cref="Find(string?, string?)"/> over this process's PATH.</summary>
    public static string? Find(string? configured) => Find(configured, Environment.GetEnvironmentVariable("PATH"));
}
