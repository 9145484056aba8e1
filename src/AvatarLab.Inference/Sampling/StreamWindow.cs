using AvatarLab.Inference.Packages;

namespace AvatarLab.Inference.Sampling;

/// <summary>Streaming window sizes in frames (from the manifest's window section).</summary>
public sealed record StreamWindow(int Clip, int Block, int Context, int Lookahead, int SelfCache, int CrossCache)
{
    public static StreamWindow From(WindowSpec w) =>
        new(w.ClipFrames, w.BlockFrames, w.ContextFrames, w.LookaheadFrames, w.SelfCacheFrames, w.CrossCacheFrames);

    /// <summary>First frame of block <paramref name="index"/> (block 0 is the first clip).</summary>
    public long BlockStart(long index) => index == 0 ? 0 : Clip + (index - 1) * Block;

    /// <summary>Frames block <paramref name="index"/> produces.</summary>
    public int BlockLength(long index) => index == 0 ? Clip : Block;
}
