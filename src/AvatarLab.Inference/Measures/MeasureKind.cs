namespace AvatarLab.Inference.Measures;

/// <summary>The per-session measures, in the order a dashboard lists them (<see cref="MeasureCatalog"/> explains each).</summary>
public enum MeasureKind
{
    LipSync,
    SmileMirroring,
    SmileMirroringLag,
    NodRatio,
    UserSyncPose,
    UserSyncExpression,
    RpccPose,
    RpccExpression,
    SidPose,
    SidExpression,
    SidAll,
    VariancePose,
    VarianceExpression,
    VarianceAll,
    OutOfRangeFraction,
    NonFiniteCount,
}
