"""Motion quality and reactivity measures of a conversation, defined to the last constant.

The dashboard (C#) reimplements exactly these definitions, so every number that changes a
result is a named constant below with its origin. Measures follow the paper's evaluation
(rPCC, SID, Var) plus AvatarLab's own probes (lip sync, nod energy, smile mirroring);
see docs/metrics "Motion quality and reactivity".

Conventions shared by every function:
- Motion tracks are float arrays [T, 12] in face-params/1 channel order at 25 fps; masks
  are bool [T]; audio is mono float [S] at 16 kHz with S = T * 640 (one video frame =
  640 samples; a trailing partial frame is ignored).
- All arithmetic is in float64.
- Non-finite motion values (NaN/inf) are tolerated: each measure says how it skips them,
  and conversation_measures reports how many there were (nan_count).
- A measure that cannot be computed (too few frames, no finite data) is float('nan'),
  never None, so result dicts stay dicts of floats; aggregate() skips NaN (and None).

PCC convention: Pearson correlation over the frame pairs where both values are finite; a
constant side (max == min, an exact test, so both languages agree) or fewer than 2 pairs
gives 0.0 ("no linear relation"), not NaN. Callers that need a minimum amount of data
(lip_sync, lagged_pcc) check it themselves and return NaN.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np
from scipy.signal import butter, sosfiltfilt

# Timing constants are shared with the audio features (one source of truth):
# 25 fps video, 16 kHz audio, 640 samples per video frame.
from .features import FPS, SAMPLE_RATE, SAMPLES_PER_FRAME

__all__ = [
    "FPS", "SAMPLE_RATE", "SAMPLES_PER_FRAME",
    "CHANNEL_NAMES", "NUM_CHANNELS", "POSE_CHANNELS", "EXPRESSION_CHANNELS",
    "FACE_PARAM_RANGES", "RANGE_TOLERANCE",
    "loudness_envelope", "pcc", "lagged_pcc", "lip_sync", "smile_mirroring",
    "nod_band_energy", "nod_energy_ratio", "range_bounds", "kmeans_fit", "kmeans_assign", "sid", "SidReference",
    "fit_sid_reference", "sid_scores", "variance", "rpcc", "conversation_measures",
    "aggregate",
]

# ---------------------------------------------------------------------------------------
# face-params/1 channels (model-package.md, "face-params/1"), in this order.
HEAD_YAW = 0
HEAD_PITCH = 1
HEAD_ROLL = 2
JAW_OPEN = 3
MOUTH_SMILE = 4
MOUTH_PUCKER = 5
BLINK_LEFT = 6
BLINK_RIGHT = 7
BROW_LEFT = 8
BROW_RIGHT = 9
GAZE_X = 10
GAZE_Y = 11
CHANNEL_NAMES = (
    "head_yaw", "head_pitch", "head_roll", "jaw_open", "mouth_smile", "mouth_pucker",
    "blink_left", "blink_right", "brow_left", "brow_right", "gaze_x", "gaze_y",
)
NUM_CHANNELS = len(CHANNEL_NAMES)  # 12

# Channel groups of the paper's evaluation: head pose vs facial expression (the paper
# uses 3DMM pose/expression; on face-params the three head angles are the pose, the
# other nine channels the expression).
POSE_CHANNELS = (HEAD_YAW, HEAD_PITCH, HEAD_ROLL)
EXPRESSION_CHANNELS = tuple(c for c in range(NUM_CHANNELS) if c not in POSE_CHANNELS)
GROUPS = {"pose": POSE_CHANNELS, "expression": EXPRESSION_CHANNELS}

# Nominal value ranges of face-params/1 (model-package.md): angles in radians "about
# -0.6..0.6", jaw/pucker/blinks 0..1, smile/brows/gaze -1..1.
FACE_PARAM_RANGES = {
    "head_yaw": (-0.6, 0.6),
    "head_pitch": (-0.6, 0.6),
    "head_roll": (-0.6, 0.6),
    "jaw_open": (0.0, 1.0),
    "mouth_smile": (-1.0, 1.0),
    "mouth_pucker": (0.0, 1.0),
    "blink_left": (0.0, 1.0),
    "blink_right": (0.0, 1.0),
    "brow_left": (-1.0, 1.0),
    "brow_right": (-1.0, 1.0),
    "gaze_x": (-1.0, 1.0),
    "gaze_y": (-1.0, 1.0),
}
# A value counts as out of range only beyond range +- this margin (same units as the
# channel): the angle range is only "about" +-0.6, and a model that lands at 1.02 is
# overshooting slightly, not broken.
RANGE_TOLERANCE = 0.05

# ---------------------------------------------------------------------------------------
# Measure constants.

# Loudness: 20 log10(rms + eps); eps = 1e-5 puts digital silence at -100 dB instead of
# -inf (brief: metrics, lip sync proxy).
LOUDNESS_EPS = 1e-5

# Fewest frames a correlation is reported on: 1 s at 25 fps. Below that a Pearson
# coefficient is dominated by chance (a handful of points correlate strongly at random).
# Used by lip_sync (speaking frames) and lagged_pcc (overlap at each lag).
MIN_CORR_FRAMES = FPS  # 25

# Smile mirroring searches avatar lags 0..1.5 s (brief: "best lag in 0..1.5 s"); the lag
# grid is whole frames, so the last lag is floor(1.5 * 25) = 37 frames = 1.48 s.
SMILE_MAX_LAG_S = 1.5
SMILE_MAX_LAG_FRAMES = int(SMILE_MAX_LAG_S * FPS)  # 37

# Nod energy: head_pitch band 1-4 Hz (brief), i.e. nods, not slow posture drift (< 1 Hz)
# nor tracking jitter (> 4 Hz). Butterworth of order 2 designed for 25 fps and applied
# forward and backward (scipy.signal.sosfiltfilt), so there is no phase delay and the
# effective magnitude response is the square of the order-2 band-pass.
NOD_BAND_HZ = (1.0, 4.0)
NOD_FILTER_ORDER = 2
# scipy.signal.butter(2, [1, 4], btype="bandpass", fs=25, output="sos"): two biquad
# sections [b0, b1, b2, a0, a1, a2]; the C# side can hard-code these rows.
NOD_SOS = butter(NOD_FILTER_ORDER, NOD_BAND_HZ, btype="bandpass", fs=FPS, output="sos")
# Edge handling of sosfiltfilt, spelled out: odd extension of NOD_PADLEN samples at each
# end (x[0] - (x[padlen:0:-1] - x[0]) etc.), each pass starts from the steady-state
# initial conditions (sosfilt_zi) scaled by the first sample of what it filters, then the
# padding is cut off. 15 = scipy's default for this filter: 3 * (2 * sections + 1).
NOD_PADTYPE = "odd"
NOD_PADLEN = 15
# Tracks must be longer than the padding for the odd extension to exist.
NOD_MIN_FRAMES = NOD_PADLEN + 1
# Added to both mean energies (rad^2) before dividing: amplitude 1e-4 rad (0.006 deg),
# far below tracking noise, so it only matters for a perfectly still head, which then
# gives ratio 1 ("no difference") instead of 0/0.
NOD_EPS = 1e-8

# k-means / SID: k = 9 clusters for pose and 15 for expression (paper's values).
SID_K = {"pose": 9, "expression": 15}
# Lloyd iterations stop when no assignment changes, or after this many iterations
# (scikit-learn's default max_iter; convergence on motion frames takes far fewer).
KMEANS_MAX_ITER = 300
# Independent k-means++ restarts, best (lowest inertia) kept: scikit-learn's classic
# n_init = 10; makes the reference clustering less dependent on one unlucky seed.
KMEANS_N_INIT = 10
# Rows per chunk when computing point-centre distances, to bound memory on long pooled
# tracks. Does not change results.
KMEANS_CHUNK_ROWS = 65536
# Standardisation for SID: a channel whose pooled GT std is below this (in channel
# units) is treated as constant and divided by 1 instead, so noise on a channel the GT
# never moves does not explode into huge standardised values.
SID_MIN_STD = 1e-6


# ---------------------------------------------------------------------------------------
# Input helpers.

def _motion(x, name: str = "motion") -> np.ndarray:
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 2 or a.shape[1] != NUM_CHANNELS:
        raise ValueError(f"{name} must be [T, {NUM_CHANNELS}], got shape {a.shape}")
    return a


def _mask(m, n_frames: int, name: str) -> np.ndarray:
    a = np.asarray(m, dtype=bool)
    if a.shape != (n_frames,):
        raise ValueError(f"{name} must be bool [{n_frames}], got shape {a.shape}")
    return a


# ---------------------------------------------------------------------------------------
# Basic signals.

def loudness_envelope(audio) -> np.ndarray:
    """Per-video-frame loudness in dB: 20 log10(rms + LOUDNESS_EPS).

    Frame t is the RMS over samples [t * 640, (t + 1) * 640) (the samples shown with that
    video frame, not a causal window like the model features). Returns float64 [T] with
    T = len(audio) // 640; a trailing partial frame is ignored.
    """
    a = np.asarray(audio, dtype=np.float64).reshape(-1)
    n_frames = a.shape[0] // SAMPLES_PER_FRAME
    frames = a[: n_frames * SAMPLES_PER_FRAME].reshape(n_frames, SAMPLES_PER_FRAME)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    return 20.0 * np.log10(rms + LOUDNESS_EPS)


def pcc(a, b) -> float:
    """Pearson correlation of two equally long 1-D series (module docstring: convention).

    Pairs where either value is non-finite are dropped. Returns 0.0 when either side is
    constant over the remaining pairs or fewer than 2 pairs remain. Result clipped to
    [-1, 1] against rounding.
    """
    x = np.asarray(a, dtype=np.float64).reshape(-1)
    y = np.asarray(b, dtype=np.float64).reshape(-1)
    if x.shape != y.shape:
        raise ValueError(f"pcc needs equal lengths, got {x.shape[0]} and {y.shape[0]}")
    keep = np.isfinite(x) & np.isfinite(y)
    x, y = x[keep], y[keep]
    # Exact constancy test (max == min) rather than std < tol: a constant series whose
    # mean does not round-trip would otherwise leave ulp-sized residuals that correlate
    # to +-1 at random, and an exact test is reproducible in any language.
    if x.shape[0] < 2 or x.max() == x.min() or y.max() == y.min():
        return 0.0
    dx = x - x.mean()
    dy = y - y.mean()
    r = np.sum(dx * dy) / np.sqrt(np.sum(dx * dx) * np.sum(dy * dy))
    return float(np.clip(r, -1.0, 1.0))


def lagged_pcc(x, y, max_lag_frames: int) -> np.ndarray:
    """PCC of x[t] with y[t + lag] for lag = 0..max_lag_frames (y responds after x).

    Lag L correlates x[0 : T-L] with y[L : T]. Lags whose overlap T - L is shorter than
    MIN_CORR_FRAMES are NaN. Returns float64 [max_lag_frames + 1].
    """
    xs = np.asarray(x, dtype=np.float64).reshape(-1)
    ys = np.asarray(y, dtype=np.float64).reshape(-1)
    if xs.shape != ys.shape:
        raise ValueError(f"lagged_pcc needs equal lengths, got {xs.shape[0]} and {ys.shape[0]}")
    if max_lag_frames < 0:
        raise ValueError("max_lag_frames must be >= 0")
    n = xs.shape[0]
    out = np.full(max_lag_frames + 1, np.nan)
    for lag in range(max_lag_frames + 1):
        if n - lag >= MIN_CORR_FRAMES:
            out[lag] = pcc(xs[: n - lag], ys[lag:])
    return out


# ---------------------------------------------------------------------------------------
# Reaction probes.

def lip_sync(avatar_motion, avatar_audio, avatar_speaking) -> float:
    """Lip-sync proxy: PCC(jaw_open, loudness_envelope) over the avatar's speaking frames.

    Frames where jaw_open is non-finite are skipped. Returns NaN when fewer than
    MIN_CORR_FRAMES usable speaking frames remain (convention: NaN, never None).
    The audio must cover exactly the motion's T frames (len(audio) // 640 == T).
    """
    motion = _motion(avatar_motion, "avatar_motion")
    n = motion.shape[0]
    speaking = _mask(avatar_speaking, n, "avatar_speaking")
    env = loudness_envelope(avatar_audio)
    if env.shape[0] != n:
        raise ValueError(f"avatar_audio covers {env.shape[0]} frames, motion has {n}")
    jaw = motion[:, JAW_OPEN]
    use = speaking & np.isfinite(jaw)
    if int(use.sum()) < MIN_CORR_FRAMES:
        return float("nan")
    return pcc(jaw[use], env[use])


def smile_mirroring(user_motion, avatar_motion) -> tuple[float, float]:
    """Best PCC(user mouth_smile[t], avatar mouth_smile[t + lag]) over lags 0..1.5 s.

    Returns (best_pcc, best_lag_seconds). "Best" is the largest signed PCC (mirroring is
    a positive relation); on ties the shortest lag wins. (NaN, NaN) when no lag has
    MIN_CORR_FRAMES of overlap.
    """
    user = _motion(user_motion, "user_motion")
    avatar = _motion(avatar_motion, "avatar_motion")
    if user.shape[0] != avatar.shape[0]:
        raise ValueError("user_motion and avatar_motion must have the same length")
    r = lagged_pcc(user[:, MOUTH_SMILE], avatar[:, MOUTH_SMILE], SMILE_MAX_LAG_FRAMES)
    if np.all(np.isnan(r)):
        return float("nan"), float("nan")
    best = int(np.nanargmax(r))  # first maximum = shortest lag
    return float(r[best]), best / FPS


def _fill_gaps(x: np.ndarray) -> np.ndarray | None:
    """Linear interpolation over non-finite samples (held constant beyond the ends).

    A filter cannot run through NaN, and interpolation adds no 1-4 Hz energy for short
    gaps. None when there is no finite sample at all.
    """
    ok = np.isfinite(x)
    if not ok.any():
        return None
    if ok.all():
        return x
    t = np.arange(x.shape[0], dtype=np.float64)
    return np.interp(t, t[ok], x[ok])


def nod_band_energy(avatar_motion) -> np.ndarray | None:
    """Per-frame energy (rad^2) of head_pitch in the nod band: non-finite samples linearly
    interpolated, band-passed 1-4 Hz with NOD_SOS via zero-phase sosfiltfilt (padtype
    NOD_PADTYPE, padlen NOD_PADLEN), squared. None when no sample is finite. The track must be
    longer than NOD_PADLEN frames."""
    pitch = _fill_gaps(_motion(avatar_motion, "avatar_motion")[:, HEAD_PITCH])
    if pitch is None:
        return None
    band = sosfiltfilt(NOD_SOS, pitch, padtype=NOD_PADTYPE, padlen=NOD_PADLEN)
    return band * band


def nod_energy_ratio(avatar_motion, user_speaking) -> float:
    """Head-nod energy while the user speaks relative to while the user is silent.

    head_pitch (non-finite samples linearly interpolated) is band-passed 1-4 Hz with
    NOD_SOS via zero-phase sosfiltfilt (padtype NOD_PADTYPE, padlen NOD_PADLEN); then

        ratio = (mean(p[user_speaking]^2) + NOD_EPS) / (mean(p[~user_speaking]^2) + NOD_EPS)

    > 1 means the avatar nods more while listening to speech (backchannel nods). NaN when
    the track is shorter than NOD_MIN_FRAMES or either side has fewer than
    MIN_CORR_FRAMES frames (too little to estimate an energy).
    """
    motion = _motion(avatar_motion, "avatar_motion")
    n = motion.shape[0]
    speaking = _mask(user_speaking, n, "user_speaking")
    n_speaking = int(speaking.sum())
    if n < NOD_MIN_FRAMES or n_speaking < MIN_CORR_FRAMES or n - n_speaking < MIN_CORR_FRAMES:
        return float("nan")
    energy = nod_band_energy(motion)
    if energy is None:
        return float("nan")
    return float((energy[speaking].mean() + NOD_EPS) / (energy[~speaking].mean() + NOD_EPS))


# ---------------------------------------------------------------------------------------
# k-means and Shannon diversity (SID).
#
# Only assignment and SID need to match bit for bit across languages. The fit draws
# random numbers (numpy's PCG64), which another language will not reproduce, so the
# reference clustering is fitted here once and its centres and standardisation are
# handed over as data (SidReference.to_dict).

def _sq_distances(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Squared Euclidean distances [N, k], computed as sums of squared differences
    (not |x|^2 - 2x.c + |c|^2, which cancels badly and breaks ties differently)."""
    out = np.empty((points.shape[0], centres.shape[0]))
    for start in range(0, points.shape[0], KMEANS_CHUNK_ROWS):
        block = points[start:start + KMEANS_CHUNK_ROWS]
        diff = block[:, None, :] - centres[None, :, :]
        out[start:start + block.shape[0]] = np.einsum("nkd,nkd->nk", diff, diff)
    return out


def _kmeans_pp_init(points: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ seeding: first centre uniform, each next one drawn with probability
    proportional to the squared distance to the nearest centre chosen so far."""
    n = points.shape[0]
    idx = [int(rng.integers(n))]
    d2 = _sq_distances(points, points[idx[0]][None, :])[:, 0]
    for _ in range(1, k):
        total = d2.sum()
        # Fewer distinct points than k: every point already is a centre; repeat one.
        # Duplicate centres stay empty (ties go to the lowest index), which is harmless.
        nxt = int(rng.integers(n)) if total <= 0.0 else int(rng.choice(n, p=d2 / total))
        idx.append(nxt)
        d2 = np.minimum(d2, _sq_distances(points, points[nxt][None, :])[:, 0])
    return points[idx].copy()


def _lloyd(points: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, float]:
    labels = None
    for _ in range(KMEANS_MAX_ITER):
        new_labels = kmeans_assign(points, centres)
        if labels is not None and np.array_equal(new_labels, labels):
            break
        labels = new_labels
        for j in range(centres.shape[0]):
            members = points[labels == j]
            # An empty cluster keeps its previous centre: deterministic, and it may win
            # points back on the next iteration.
            if members.shape[0] > 0:
                centres[j] = members.mean(axis=0)
    d2 = _sq_distances(points, centres)
    inertia = float(d2[np.arange(points.shape[0]), kmeans_assign(points, centres)].sum())
    return centres, inertia


def kmeans_fit(frames, k: int, seed: int) -> np.ndarray:
    """k-means centres [k, D] of frames [N, D]: KMEANS_N_INIT k-means++ restarts from
    numpy.random.default_rng(seed), Lloyd iterations until no assignment changes (at most
    KMEANS_MAX_ITER), lowest inertia kept. Rows with a non-finite value are ignored.
    Deterministic for a given seed and input."""
    pts = np.asarray(frames, dtype=np.float64)
    if pts.ndim != 2:
        raise ValueError(f"frames must be [N, D], got shape {pts.shape}")
    pts = pts[np.isfinite(pts).all(axis=1)]
    if k < 1 or pts.shape[0] < k:
        raise ValueError(f"k-means needs 1 <= k <= finite frames, got k={k}, N={pts.shape[0]}")
    rng = np.random.default_rng(seed)
    best, best_inertia = None, np.inf
    for _ in range(KMEANS_N_INIT):
        centres, inertia = _lloyd(pts, _kmeans_pp_init(pts, k, rng))
        if inertia < best_inertia:  # strict: the earliest restart wins ties
            best, best_inertia = centres, inertia
    return best


def kmeans_assign(frames, centres) -> np.ndarray:
    """Index of the nearest centre (squared Euclidean, lowest index on ties) per frame,
    int64 [N]; -1 for rows with a non-finite value."""
    pts = np.asarray(frames, dtype=np.float64)
    c = np.asarray(centres, dtype=np.float64)
    if pts.ndim != 2 or c.ndim != 2 or pts.shape[1] != c.shape[1]:
        raise ValueError(f"frames {pts.shape} and centres {c.shape} do not match")
    labels = np.full(pts.shape[0], -1, dtype=np.int64)
    ok = np.isfinite(pts).all(axis=1)
    if ok.any():
        labels[ok] = np.argmin(_sq_distances(pts[ok], c), axis=1)
    return labels


def sid(assignments, k: int) -> float:
    """Shannon diversity index -sum p_j ln p_j of the cluster histogram (natural log, so
    0 for one cluster and ln k for all k equally used). Negative labels (unassigned
    frames) are skipped; NaN when nothing is assigned."""
    a = np.asarray(assignments, dtype=np.int64).reshape(-1)
    a = a[a >= 0]
    if a.shape[0] == 0:
        return float("nan")
    if a.max() >= k:
        raise ValueError(f"assignment {a.max()} out of range for k={k}")
    p = np.bincount(a, minlength=k) / a.shape[0]
    p = p[p > 0]
    return float(-np.sum(p * np.log(p)) + 0.0)  # + 0.0 turns -0.0 into 0.0


@dataclass(frozen=True)
class SidReference:
    """Clustering fitted on ground truth, so generated and GT tracks are scored in the
    same space: per-channel standardisation (mean/std [12] of the pooled GT frames) and
    k-means centres per group in standardised units."""
    mean: np.ndarray        # [12]
    std: np.ndarray         # [12], SID_MIN_STD-guarded (constant channels divide by 1)
    centres: dict           # group name -> [k, len(group channels)]
    seed: int

    def to_dict(self) -> dict:
        """JSON-ready form, for the dashboard to reuse the exact same reference."""
        return {
            "channels": list(CHANNEL_NAMES),
            "groups": {g: list(ch) for g, ch in GROUPS.items()},
            "mean": self.mean.tolist(), "std": self.std.tolist(),
            "centres": {g: c.tolist() for g, c in self.centres.items()},
            "seed": self.seed,
        }

    @staticmethod
    def from_dict(d: Mapping) -> "SidReference":
        return SidReference(
            mean=np.asarray(d["mean"], dtype=np.float64),
            std=np.asarray(d["std"], dtype=np.float64),
            centres={g: np.asarray(c, dtype=np.float64) for g, c in d["centres"].items()},
            seed=int(d["seed"]),
        )


def fit_sid_reference(gt_tracks: Iterable, seed: int = 0) -> SidReference:
    """Fit the SID reference on ground-truth tracks (each [T_i, 12]).

    Frames of all tracks are pooled; mean and population std (ddof 0) per channel over
    the finite values; std < SID_MIN_STD becomes 1. Standardised frames of each group
    (POSE_CHANNELS, EXPRESSION_CHANNELS) are clustered with kmeans_fit(k = SID_K[group],
    seed).
    """
    tracks = [_motion(t, "gt track") for t in gt_tracks]
    if not tracks:
        raise ValueError("fit_sid_reference needs at least one ground-truth track")
    pooled = np.concatenate(tracks, axis=0)
    mean = np.nanmean(np.where(np.isfinite(pooled), pooled, np.nan), axis=0)
    std = np.nanstd(np.where(np.isfinite(pooled), pooled, np.nan), axis=0)
    if not (np.isfinite(mean).all() and np.isfinite(std).all()):
        raise ValueError("a channel has no finite ground-truth value")
    std = np.where(std < SID_MIN_STD, 1.0, std)
    z = (pooled - mean) / std
    centres = {g: kmeans_fit(z[:, list(ch)], SID_K[g], seed) for g, ch in GROUPS.items()}
    return SidReference(mean=mean, std=std, centres=centres, seed=seed)


def sid_scores(track, ref: SidReference) -> dict:
    """SID per group of one track, standardised with the reference's GT mean/std and
    assigned to the reference centres. {"pose": float, "expression": float}."""
    z = (_motion(track, "track") - ref.mean) / ref.std
    return {g: sid(kmeans_assign(z[:, list(ch)], ref.centres[g]), SID_K[g])
            for g, ch in GROUPS.items()}


# ---------------------------------------------------------------------------------------
# Group statistics and synchrony with the user.

def variance(track) -> dict:
    """Variance over time (population, ddof 0, skipping non-finite values) per channel,
    in raw channel units, averaged over each group's channels.
    {"pose": float, "expression": float}; a channel with no finite value makes its
    group NaN."""
    m = _motion(track, "track")
    m = np.where(np.isfinite(m), m, np.nan)
    out = {}
    for g, ch in GROUPS.items():
        cols = m[:, list(ch)]
        if cols.shape[0] == 0 or np.isnan(cols).all(axis=0).any():
            out[g] = float("nan")
        else:
            out[g] = float(np.mean(np.nanvar(cols, axis=0)))
    return out


def rpcc(avatar_gt, avatar_gen, user_motion, channels: Sequence[int]) -> float:
    """rPCC: mean over `channels` of |PCC(gt[:, c], user[:, c]) - PCC(gen[:, c], user[:, c])|.

    How far the generated avatar-user synchrony is from the real one (lower is better);
    same-channel pairs at lag 0. All three tracks must have the same length.
    """
    gt = _motion(avatar_gt, "avatar_gt")
    gen = _motion(avatar_gen, "avatar_gen")
    user = _motion(user_motion, "user_motion")
    if not gt.shape == gen.shape == user.shape:
        raise ValueError(f"shapes differ: gt {gt.shape}, gen {gen.shape}, user {user.shape}")
    diffs = [abs(pcc(gt[:, c], user[:, c]) - pcc(gen[:, c], user[:, c])) for c in channels]
    return float(np.mean(diffs)) if diffs else float("nan")


def range_bounds() -> tuple[np.ndarray, np.ndarray]:
    """Per-channel lower and upper bounds of FACE_PARAM_RANGES widened by RANGE_TOLERANCE."""
    lo = np.array([FACE_PARAM_RANGES[n][0] for n in CHANNEL_NAMES]) - RANGE_TOLERANCE
    hi = np.array([FACE_PARAM_RANGES[n][1] for n in CHANNEL_NAMES]) + RANGE_TOLERANCE
    return lo, hi


def conversation_measures(avatar_motion, user_motion, avatar_audio, avatar_speaking,
                          user_speaking, sid_ref: SidReference | None = None,
                          avatar_gt=None) -> dict:
    """All reactivity and quality measures of one conversation, as a flat dict of floats.

    Keys: lip_sync, smile_mirror_pcc, smile_mirror_lag_s, nod_ratio, var_pose,
    var_expression, nan_count (non-finite values in avatar_motion), out_of_range_frac
    (fraction of the finite avatar_motion values outside FACE_PARAM_RANGES widened by
    RANGE_TOLERANCE; NaN if none is finite); with sid_ref also sid_pose, sid_expression;
    with avatar_gt (ground truth of the same conversation) also rpcc_pose, rpcc_expression.
    """
    avatar = _motion(avatar_motion, "avatar_motion")
    user = _motion(user_motion, "user_motion")
    if user.shape[0] != avatar.shape[0]:
        raise ValueError("user_motion and avatar_motion must have the same length")

    smile_r, smile_lag = smile_mirroring(user, avatar)
    var = variance(avatar)
    finite = np.isfinite(avatar)
    lo, hi = range_bounds()
    outside = finite & ((avatar < lo) | (avatar > hi))
    n_finite = int(finite.sum())
    out = {
        "lip_sync": lip_sync(avatar, avatar_audio, avatar_speaking),
        "smile_mirror_pcc": smile_r,
        "smile_mirror_lag_s": smile_lag,
        "nod_ratio": nod_energy_ratio(avatar, user_speaking),
        "var_pose": var["pose"],
        "var_expression": var["expression"],
    }
    if sid_ref is not None:
        s = sid_scores(avatar, sid_ref)
        out["sid_pose"], out["sid_expression"] = s["pose"], s["expression"]
    if avatar_gt is not None:
        out["rpcc_pose"] = rpcc(avatar_gt, avatar, user, POSE_CHANNELS)
        out["rpcc_expression"] = rpcc(avatar_gt, avatar, user, EXPRESSION_CHANNELS)
    out["nan_count"] = float(avatar.size - n_finite)
    out["out_of_range_frac"] = float(outside.sum() / n_finite) if n_finite else float("nan")
    return out


def aggregate(results: Iterable[Mapping]) -> dict:
    """Mean of each key over conversations, skipping None and non-finite values (a
    measure that could not be computed for a conversation does not count as 0). Keys in
    order of first appearance; NaN for a key with no usable value."""
    values: dict[str, list[float]] = {}
    for r in results:
        for key, v in r.items():
            bucket = values.setdefault(key, [])
            if v is not None and np.isfinite(v):
                bucket.append(float(v))
    return {key: (float(np.mean(v)) if v else float("nan")) for key, v in values.items()}
