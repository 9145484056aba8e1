using AvatarLab.Inference.Sampling;

namespace AvatarLab.Inference.Tests.Sampling;

/// <summary>
/// A test double that makes the cache bookkeeping visible: every present key/value element
/// holds the absolute frame position it belongs to, and each call records the positions it
/// found in its past caches. Velocity is zero, so latents are the noise scaled by the flow.
/// </summary>
internal sealed class PositionEchoDenoiser(DenoiserShape shape) : IDenoiser
{
    public DenoiserShape Shape { get; } = shape;

    public List<(long Start, int Frames, float[] PastPositions, float[] PastCrossPositions, float[] T)> Calls { get; } = [];

    public void Run(DenoiserCall call)
    {
        var s = Shape;
        var rows = s.Layers * call.Batch * s.Heads;
        Calls.Add((call.StartPos, call.Frames, FirstColumn(call.PastKey, call.Past), FirstColumn(call.PastCrossKey, call.PastCross),
            call.T.AsSpan(0, call.Frames).ToArray()));
        for (var r = 0; r < rows; r++)
        {
            for (var f = 0; f < call.Frames; f++)
            {
                for (var k = 0; k < s.HeadDim; k++)
                {
                    var i = (r * call.Frames + f) * s.HeadDim + k;
                    call.PresentKey[i] = call.StartPos + f;
                    call.PresentValue[i] = call.StartPos + f;
                    call.PresentCrossKey[i] = call.StartPos + f;
                    call.PresentCrossValue[i] = call.StartPos + f;
                }
            }
        }

        Array.Clear(call.Velocity, 0, call.Batch * call.Frames * s.LatentDim);
    }

    /// <summary>The positions held by the last (layer, branch, head) row of a cache, one per frame.</summary>
    private float[] FirstColumn(float[] cache, int frames)
    {
        var rows = Shape.Layers * 3 * Shape.Heads;
        var result = new float[frames];
        for (var f = 0; f < frames; f++)
        {
            result[f] = cache[((rows - 1) * frames + f) * Shape.HeadDim];
        }

        return result;
    }
}
