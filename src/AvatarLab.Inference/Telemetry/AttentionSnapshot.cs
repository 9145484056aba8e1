namespace AvatarLab.Inference.Telemetry;

/// <summary>
/// Attention weights of one denoising pass, as the denoiser returned them after softmax, kept
/// in float16 (3 significant digits, plenty for weights in [0, 1]; half the memory, and for
/// the reference model small enough to stay off the large object heap, which a stream would
/// otherwise fill with one 115 KB array per block):
/// self [L, 3, H, N, P + N] and cross [L, 3, H, N, Pc + N] (the 3 guidance branches:
/// none, avatar audio only, user only). Key k of self-attention is absolute frame
/// <c>CallStart - Past + k</c>; of cross-attention, condition frame <c>CallStart - PastCross + k</c>.
/// </summary>
public sealed record AttentionSnapshot(
    int Step,
    int Layers,
    int Heads,
    int Frames,
    int Past,
    int PastCross,
    Half[] Self,
    Half[] Cross)
{
    public int Branches => 3;
    public int SelfKeys => Past + Frames;
    public int CrossKeys => PastCross + Frames;

    /// <summary>Self-attention weight of (layer, branch, head, query frame in call, key index).</summary>
    public float SelfWeight(int layer, int branch, int head, int query, int key) =>
        (float)Self[(((layer * Branches + branch) * Heads + head) * Frames + query) * SelfKeys + key];

    public float CrossWeight(int layer, int branch, int head, int query, int key) =>
        (float)Cross[(((layer * Branches + branch) * Heads + head) * Frames + query) * CrossKeys + key];
}
