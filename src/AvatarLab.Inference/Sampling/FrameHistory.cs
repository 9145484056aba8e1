namespace AvatarLab.Inference.Sampling;

/// <summary>
/// Per-frame vectors of a stream kept for a bounded look-back: frames are appended at the
/// end and trimmed from the front, so an hour-long stream uses the same memory as a minute.
/// Frames are addressed by their absolute index.
/// </summary>
internal sealed class FrameHistory<T>(int dim, int initialFrames = 256)
{
    private T[] _data = new T[dim * initialFrames];
    private int _count;

    public int Dim => dim;

    /// <summary>Absolute index of the oldest frame kept.</summary>
    public long First { get; private set; }

    /// <summary>Absolute index one past the newest frame.</summary>
    public long End => First + _count;

    public void Append(ReadOnlySpan<T> frames)
    {
        var n = frames.Length / dim;
        EnsureCapacity(_count + n);
        frames[..(n * dim)].CopyTo(_data.AsSpan(_count * dim));
        _count += n;
    }

    public ReadOnlySpan<T> Frames(long start, int count)
    {
        if (start < First || start + count > End)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"frames {start}..{start + count - 1} are not held (have {First}..{End - 1})");
        }

        return _data.AsSpan(checked((int)(start - First)) * dim, count * dim);
    }

    /// <summary>
    /// Forgets frames before <paramref name="keepFrom"/>. The copy happens only once the stale
    /// frames outnumber the live ones, so its cost is amortised over the frames dropped.
    /// </summary>
    public void TrimBefore(long keepFrom)
    {
        var drop = (int)Math.Clamp(keepFrom - First, 0, _count);
        if (drop == 0 || drop < _count - drop)
        {
            return;
        }

        _data.AsSpan(drop * dim, (_count - drop) * dim).CopyTo(_data);
        _count -= drop;
        First += drop;
    }

    private void EnsureCapacity(int frames)
    {
        if (frames * dim <= _data.Length)
        {
            return;
        }

        var grown = new T[Math.Max(frames, _data.Length / dim * 2) * dim];
        _data.AsSpan(0, _count * dim).CopyTo(grown);
        _data = grown;
    }
}
