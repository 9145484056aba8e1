namespace AvatarLab.Inference.Sampling;

/// <summary>
/// The flow-matching sampler arithmetic of the official code (avatar-forcing.md), in float64:
/// x_t = (1 - s) x0 + s e with s = t / T; the network predicts v = e - x0.
/// </summary>
public static class FlowMatching
{
    /// <summary>
    /// linspace(T, 0, nfe - 1): 1000, 875, ..., 125, 0 for nfe = 10, through the scheduler
    /// shift (<see cref="Shifted"/>) when it is not 1.
    /// </summary>
    public static double[] Timesteps(int nfe, int trainTimesteps, double shift = 1.0)
    {
        if (nfe < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(nfe), nfe, "NFE must be at least 3 (two timesteps and the refresh)");
        }

        var count = nfe - 1;
        var steps = new double[count];
        for (var i = 0; i < count; i++)
        {
            steps[i] = trainTimesteps - (double)trainTimesteps * i / (count - 1);
        }

        steps[^1] = 0;
        if (shift != 1.0)
        {
            for (var i = 0; i < count; i++)
            {
                steps[i] = Shifted(steps[i], shift, trainTimesteps);
            }
        }

        return steps;
    }

    /// <summary>
    /// The manifest's scheduler shift (the SD3 convention) on s = t / T:
    /// s' = shift s / (1 + (shift - 1) s). Shift 1 is the identity (the official code);
    /// below 1 the steps crowd at low noise, above 1 at high noise; T and 0 stay fixed.
    /// </summary>
    public static double Shifted(double t, double shift, int trainTimesteps)
    {
        if (shift == 1.0)
        {
            return t;
        }

        var s = t / trainTimesteps;
        return trainTimesteps * (shift * s / (1 + (shift - 1) * s));
    }

    /// <summary>
    /// One Euler step of one value from timestep t to tNext: x0 = x - s v, r = s_next / s,
    /// x_next = r x + ((1 - s_next) - r (1 - s)) x0. A frame at t = 0 stays as it is.
    /// </summary>
    public static double Step(double x, double v, double t, double tNext, int trainTimesteps)
    {
        if (t <= 0)
        {
            return x;
        }

        var s = t / trainTimesteps;
        var sNext = tNext / trainTimesteps;
        var x0 = x - s * v;
        var r = sNext / s;
        return r * x + ((1 - sNext) - r * (1 - s)) * x0;
    }

    /// <summary>
    /// <see cref="Step"/> with the clean estimate x0 = x - s v clamped to [min, max] first
    /// (static thresholding, as Imagen does for classifier-free guidance: the guided combination
    /// of the branches can leave the data's range even where each branch stays inside it). At
    /// the last step (s_next = 0) the result is that clamped x0, so every output is in range.
    /// </summary>
    public static double StepClamped(double x, double v, double t, double tNext, int trainTimesteps, double min, double max, out bool clamped)
    {
        clamped = false;
        if (t <= 0)
        {
            return x;
        }

        var s = t / trainTimesteps;
        var sNext = tNext / trainTimesteps;
        var x0 = x - s * v;
        if (x0 < min || x0 > max)
        {
            x0 = Math.Clamp(x0, min, max);
            clamped = true;
        }

        var r = sNext / s;
        return r * x + ((1 - sNext) - r * (1 - s)) * x0;
    }

    /// <summary>3-way classifier-free guidance: v = v_none + a (v_avatar - v_none) + u (v_user - v_none).</summary>
    public static double Guide(double vNone, double vAvatar, double vUser, double avatarScale, double userScale) =>
        vNone + avatarScale * (vAvatar - vNone) + userScale * (vUser - vNone);

    /// <summary>
    /// Staggered schedule: at step i of S, frame j of a block of B frames has progress
    /// p = clamp(u (1 + spread) - spread j / (B - 1), 0, 1) with u = i / (S - 1), and timestep
    /// T (1 - p), through the scheduler shift. Spread 0 is the blockwise schedule; every frame
    /// starts at T and ends at 0.
    /// </summary>
    public static double StaggeredTimestep(int step, int steps, int frameInBlock, int blockFrames, double spread, int trainTimesteps,
        double shift = 1.0)
    {
        var u = steps <= 1 ? 1.0 : (double)step / (steps - 1);
        var lag = blockFrames <= 1 ? 0.0 : spread * frameInBlock / (blockFrames - 1);
        var p = Math.Clamp(u * (1 + spread) - lag, 0.0, 1.0);
        return Shifted(trainTimesteps * (1 - p), shift, trainTimesteps);
    }
}
