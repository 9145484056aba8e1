using AvatarLab.Inference.Motion;

namespace AvatarLab.Inference.Rendering;

/// <summary>
/// One frame of face-params/1, clamped to the nominal ranges of <see cref="FaceParams.Ranges"/>
/// (NaN reads as 0) so that out-of-range model output still draws a plausible face.
/// </summary>
internal readonly struct FacePose
{
    public FacePose(ReadOnlySpan<float> latent)
    {
        if (latent.Length < FaceParams.ChannelCount)
        {
            throw new ArgumentException(
                $"the parametric face renderer needs {FaceParams.ChannelCount} face-params/1 channels; got {latent.Length}.",
                nameof(latent));
        }

        Yaw = Clamped(latent, FaceParams.HeadYaw);
        Pitch = Clamped(latent, FaceParams.HeadPitch);
        Roll = Clamped(latent, FaceParams.HeadRoll);
        JawOpen = Clamped(latent, FaceParams.JawOpen);
        Smile = Clamped(latent, FaceParams.MouthSmile);
        Pucker = Clamped(latent, FaceParams.MouthPucker);
        BlinkLeft = Clamped(latent, FaceParams.BlinkLeft);
        BlinkRight = Clamped(latent, FaceParams.BlinkRight);
        BrowLeft = Clamped(latent, FaceParams.BrowLeft);
        BrowRight = Clamped(latent, FaceParams.BrowRight);
        GazeX = Clamped(latent, FaceParams.GazeX);
        GazeY = Clamped(latent, FaceParams.GazeY);
    }

    public float Yaw { get; }
    public float Pitch { get; }
    public float Roll { get; }
    public float JawOpen { get; }
    public float Smile { get; }
    public float Pucker { get; }
    public float BlinkLeft { get; }
    public float BlinkRight { get; }
    public float BrowLeft { get; }
    public float BrowRight { get; }
    public float GazeX { get; }
    public float GazeY { get; }

    private static float Clamped(ReadOnlySpan<float> latent, int channel)
    {
        var value = latent[channel];
        var (min, max) = FaceParams.Ranges[channel];
        return float.IsNaN(value) ? Math.Clamp(0f, min, max) : Math.Clamp(value, min, max);
    }
}
