namespace AvatarLab.Inference.Motion;

/// <summary>
/// The built-in motion space face-params/1 (model-package.md): 12 channels shared by user
/// tracking, the reference model's latent and the parametric renderer.
/// </summary>
public static class FaceParams
{
    public const int ChannelCount = 12;

    public const int HeadYaw = 0;
    public const int HeadPitch = 1;
    public const int HeadRoll = 2;
    public const int JawOpen = 3;
    public const int MouthSmile = 4;
    public const int MouthPucker = 5;
    public const int BlinkLeft = 6;
    public const int BlinkRight = 7;
    public const int BrowLeft = 8;
    public const int BrowRight = 9;
    public const int GazeX = 10;
    public const int GazeY = 11;

    /// <summary>Channel names in order, as CSV headers and chart labels use them.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "head_yaw", "head_pitch", "head_roll", "jaw_open", "mouth_smile", "mouth_pucker",
        "blink_left", "blink_right", "brow_left", "brow_right", "gaze_x", "gaze_y",
    ];

    /// <summary>Nominal range of each channel (radians for the head angles).</summary>
    public static IReadOnlyList<(float Min, float Max)> Ranges { get; } =
    [
        (-0.6f, 0.6f), (-0.6f, 0.6f), (-0.6f, 0.6f), (0f, 1f), (-1f, 1f), (0f, 1f),
        (0f, 1f), (0f, 1f), (-1f, 1f), (-1f, 1f), (-1f, 1f), (-1f, 1f),
    ];
}
