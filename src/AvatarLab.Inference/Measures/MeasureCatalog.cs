namespace AvatarLab.Inference.Measures;

/// <summary>How a dashboard labels and explains one measure.</summary>
/// <param name="Kind">The measure.</param>
/// <param name="Label">Short name for a table row or axis.</param>
/// <param name="Unit">Unit of the value ("" when it has none).</param>
/// <param name="Explanation">One plain-English line shown next to the number.</param>
public sealed record MeasureInfo(MeasureKind Kind, string Label, string Unit, string Explanation);

/// <summary>
/// One line per measure for people reading the dashboard. Targets are those of the reference
/// model (training/avatarlab_train/evaluate.py, TARGETS; models/reference/MODEL_CARD.md).
/// </summary>
public static class MeasureCatalog
{
    /// <summary>Every measure, in <see cref="MeasureKind"/> order.</summary>
    public static IReadOnlyList<MeasureInfo> All { get; } =
    [
        new(MeasureKind.LipSync, "Lip sync", "PCC",
            "Correlation of jaw opening with the avatar's own loudness while it speaks; higher is better, the reference model's target is at least 0.6."),
        new(MeasureKind.SmileMirroring, "Smile mirroring", "PCC",
            "Best correlation of the avatar's smile with the user's smile, the avatar 0 to 1.5 s behind; higher is better, the reference model's target is at least 0.5."),
        new(MeasureKind.SmileMirroringLag, "Smile mirroring delay", "s",
            "How long after the user's smile the avatar's smile follows it best (the lag of the smile mirroring value)."),
        new(MeasureKind.NodRatio, "Nod ratio", "ratio",
            "Head-nod energy (head pitch, 1-4 Hz) while the user speaks divided by while the user is silent; above 1 means the avatar nods while listening, the reference model's target is at least 2."),
        new(MeasureKind.UserSyncPose, "Pose synchrony with the user", "PCC",
            "Correlation of the avatar's head angles with the user's (same angle, no delay), averaged over yaw, pitch and roll; the per-channel curves over delays 0 to 1 s show how fast it reacts."),
        new(MeasureKind.UserSyncExpression, "Expression synchrony with the user", "PCC",
            "Correlation of the avatar's expression channels with the user's (same channel, no delay), averaged over the nine channels; the per-channel curves over delays 0 to 1 s show how fast it reacts."),
        new(MeasureKind.RpccPose, "rPCC pose", "",
            "How far the avatar's head-pose synchrony with the user is from the ground truth's, |PCC(truth, user) - PCC(avatar, user)| averaged over the angles; lower is better."),
        new(MeasureKind.RpccExpression, "rPCC expression", "",
            "How far the avatar's expression synchrony with the user is from the ground truth's, |PCC(truth, user) - PCC(avatar, user)| averaged over the channels; lower is better."),
        new(MeasureKind.SidPose, "Pose diversity (SID)", "nats",
            "Shannon index of 9 head-pose clusters found in this session: 0 = one pose throughout, 2.20 = all 9 used equally; higher is more varied. Not comparable with the model card's SID, whose clusters come from ground truth."),
        new(MeasureKind.SidExpression, "Expression diversity (SID)", "nats",
            "Shannon index of 15 expression clusters found in this session: 0 = one expression throughout, 2.71 = all 15 used equally; higher is more varied. Not comparable with the model card's SID, whose clusters come from ground truth."),
        new(MeasureKind.SidAll, "Motion diversity (SID)", "nats",
            "Shannon index of 15 clusters of the latent's frames found in this session: 0 = one state throughout, 2.71 = all 15 used equally; higher is more varied."),
        new(MeasureKind.VariancePose, "Pose variance", "rad²",
            "Variance over time of the head angles, averaged over yaw, pitch and roll; near 0 is a frozen head."),
        new(MeasureKind.VarianceExpression, "Expression variance", "",
            "Variance over time of the nine expression channels, averaged; near 0 is a frozen face."),
        new(MeasureKind.VarianceAll, "Motion variance", "",
            "Variance over time of each latent channel, averaged over the channels; near 0 is a frozen avatar."),
        new(MeasureKind.OutOfRangeFraction, "Out of range", "fraction",
            "Fraction of the avatar's values outside the face-params ranges widened by 0.05; should be 0."),
        new(MeasureKind.NonFiniteCount, "NaN values", "values",
            "Number of NaN or infinite values in the avatar's motion; should be 0."),
    ];

    /// <summary>The entry for one measure.</summary>
    public static MeasureInfo Describe(MeasureKind kind) => All[(int)kind];
}
