using AvatarLab.Inference.Motion;

namespace AvatarLab.Inference.Measures;

/// <summary>Channels measured together, and the k-means clusters of their SID (metrics.GROUPS, metrics.SID_K).</summary>
internal sealed record ChannelGroup(string Name, int[] Channels, int Clusters)
{
    /// <summary>Head angles of face-params/1: yaw, pitch, roll; k = 9 (the paper's pose value).</summary>
    public static ChannelGroup Pose { get; } = new("pose", [FaceParams.HeadYaw, FaceParams.HeadPitch, FaceParams.HeadRoll], 9);

    /// <summary>The other nine face-params/1 channels; k = 15 (the paper's expression value).</summary>
    public static ChannelGroup Expression { get; } =
        new("expression", [.. Enumerable.Range(0, FaceParams.ChannelCount).Except(Pose.Channels)], 15);

    /// <summary>
    /// Every channel of a latent that is not face-params. The paper has no value for it; k = 15,
    /// the expression value, since a latent mostly encodes expression.
    /// </summary>
    public static ChannelGroup All(int channels) => new("all channels", [.. Enumerable.Range(0, channels)], 15);
}
