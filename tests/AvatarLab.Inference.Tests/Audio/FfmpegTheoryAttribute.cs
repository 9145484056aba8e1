using AvatarLab.Inference.Audio;

namespace AvatarLab.Inference.Tests.Audio;

/// <summary>A theory that needs ffmpeg on PATH; reported as skipped, with the reason, where it is absent.</summary>
public sealed class FfmpegTheoryAttribute : TheoryAttribute
{
    public FfmpegTheoryAttribute()
    {
        if (FfmpegLocator.Find(null) is null)
        {
            Skip = "ffmpeg is not on PATH (apt-get install ffmpeg)";
        }
    }
}
