namespace AvatarLab.Inference.Measures;

/// <summary>
/// PCC(avatar, user) of one channel at lags 0..1 s, the user leading: lag L correlates the
/// user's frames [0, T - L) with the avatar's [L, T) (metrics.lagged_pcc). The peak lag is the
/// avatar's reaction delay on that channel.
/// </summary>
/// <param name="Channel">Channel name.</param>
/// <param name="PccByLag">PCC at lag 0, 1, ... frames; NaN where fewer than 1 s of frames overlap.</param>
/// <param name="PeakPcc">The largest PCC over the lags (null when every lag is NaN).</param>
/// <param name="PeakLagSeconds">Its lag in seconds, the shortest on ties.</param>
public sealed record ChannelSync(string Channel, double[] PccByLag, double? PeakPcc, double? PeakLagSeconds);
