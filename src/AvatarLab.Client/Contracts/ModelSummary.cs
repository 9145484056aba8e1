namespace AvatarLab.Client.Contracts;

/// <summary>A registered model package (GET /api/models).</summary>
public sealed record ModelSummary(
    Guid Id,
    string Name,
    string Version,
    string Description,
    string Origin,
    int LatentDim,
    int Fps,
    int BlockFrames,
    int Layers,
    bool HasAttentionOutputs,
    DateTime RegisteredAt,
    string? LoadError,
    bool Archived = false,
    string? RegisteredById = null);
