"""Golden inputs and outputs for the C# session measures, and the Python twin of what the C#
side adds to metrics.py.

    cd training && PYTHONPATH=. /usr/bin/python3 -m avatarlab_train.golden_measures --out ../tests/fixtures/golden/measures

The dashboard computes metrics.py's reactivity measures per session
(src/AvatarLab.Inference/Measures, docs/measures.md). Three things there are not in
metrics.py, and their reference definitions live here:
- loudness_envelope_at: metrics.loudness_envelope at any sample rate and frame rate;
- energy_vad: speaking masks from loudness alone, for recordings without speaking labels;
- session_sid: SID with the k-means fitted on the session itself (the dashboard has no
  ground-truth reference); the same as metrics.fit_sid_reference([track]) + sid_scores.

Writes (read by tests/AvatarLab.Inference.Tests/Measures; no Python needed there):
- avatar_motion.npy, user_motion.npy: float32 [500, 12], training/example's avatar ground
  truth and user tracks (the CSVs parsed here, so both languages see the same floats);
- avatar_motion_damaged.npy: the avatar track with NaN/inf holes and values pushed to and
  past the range bounds (DAMAGE below);
- audio_16000_30.npy, audio_44100_30.npy: short float32 noise bursts for the loudness
  envelope at other rates;
- measures.json: every expected output (NaN written as null), and synthetic loudness
  envelopes with their VAD masks (vad_cases). The example's audio is read
  from training/example/*.wav by the tests themselves (int16 / 32768, as here).
"""

from __future__ import annotations

import argparse
import json
import wave
from pathlib import Path

import numpy as np
from scipy.signal import butter, sosfiltfilt

from . import metrics as M

EXAMPLE = Path(__file__).resolve().parents[1] / "example"

# ---------------------------------------------------------------------------------------
# Loudness at any rate.


def frame_bounds(n_samples: int, sample_rate: int, fps: int) -> np.ndarray:
    """Sample index where each video frame starts, plus the end of the last whole frame:
    frame t covers [t * sample_rate // fps, (t + 1) * sample_rate // fps). Integer
    arithmetic, so a non-integer number of samples per frame (16 kHz at 30 fps: 533.3)
    does not drift against the video; with an integer number it is metrics.py's layout."""
    n_frames = n_samples * fps // sample_rate
    return np.arange(n_frames + 1, dtype=np.int64) * sample_rate // fps


def loudness_envelope_at(audio, sample_rate: int, fps: int) -> np.ndarray:
    """metrics.loudness_envelope with frames laid out by frame_bounds."""
    a = np.asarray(audio, dtype=np.float64).reshape(-1)
    b = frame_bounds(a.shape[0], sample_rate, fps)
    rms = np.array([np.sqrt(np.mean(a[s:e] * a[s:e])) for s, e in zip(b[:-1], b[1:])])
    return 20.0 * np.log10(rms + M.LOUDNESS_EPS)


# ---------------------------------------------------------------------------------------
# Energy VAD: constants mirrored by src/AvatarLab.Inference/Measures/EnergyVad.cs.
#
# threshold = max(floor + VAD_MARGIN_DB, peak - VAD_RANGE_DB), where floor and peak are
# order statistics of the loudness envelope (sorted[(n - 1) * percent // 100], integer
# arithmetic, no interpolation, so both languages pick the same frame):
# - floor, the 10th percentile: the background between words; a conversation has pauses
#   in well over a tenth of its frames, and one quiet frame cannot drag the floor down.
# - peak, the 99th percentile: the loud vowels; a single click or cough cannot raise it.
# A frame speaks when its loudness is strictly above the threshold; then inner gaps of at
# most VAD_MAX_GAP_MS are filled (a stop closure inside a word, as synth's labels do) and
# runs shorter than VAD_MIN_RUN_MS are dropped (clicks). Durations are whole frames:
# (ms * fps + 500) // 1000, so 1 and 2 frames at 25 fps.
# The dB values were chosen on 12 synthetic conversations (synth seeds 100-111, 30 s,
# user and avatar), not on the example they are reported on: 96.5% frame agreement with
# the speaking labels on average, 88.7% at worst (a voice close to its background noise).
VAD_FLOOR_PERCENT = 10
VAD_PEAK_PERCENT = 99
VAD_MARGIN_DB = 6.0
VAD_RANGE_DB = 18.0
VAD_MAX_GAP_MS = 40
VAD_MIN_RUN_MS = 80


def _ms_to_frames(ms: int, fps: int) -> int:
    return (ms * fps + 500) // 1000


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True."""
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1)))


def vad_threshold(env: np.ndarray) -> tuple[float, float, float]:
    """(threshold, floor, peak) in dB, order statistics over the finite frames (a frame is
    NaN only when its audio was); NaN thresholds when no frame is finite."""
    e = np.asarray(env, dtype=np.float64)
    s = np.sort(e[np.isfinite(e)])
    if s.shape[0] == 0:
        return float("nan"), float("nan"), float("nan")
    n = s.shape[0]
    floor = float(s[(n - 1) * VAD_FLOOR_PERCENT // 100])
    peak = float(s[(n - 1) * VAD_PEAK_PERCENT // 100])
    return max(floor + VAD_MARGIN_DB, peak - VAD_RANGE_DB), floor, peak


def energy_vad(env, fps: int) -> np.ndarray:
    """Speaking mask bool [T] from a loudness envelope in dB (module constants above)."""
    e = np.asarray(env, dtype=np.float64).reshape(-1)
    n = e.shape[0]
    threshold, _, _ = vad_threshold(e)
    raw = e > threshold  # False everywhere for a NaN threshold
    out = raw.copy()
    max_gap = _ms_to_frames(VAD_MAX_GAP_MS, fps)
    for a, b in _runs(~raw):
        if 0 < a and b < n and b - a <= max_gap:
            out[a:b] = True
    min_run = max(1, _ms_to_frames(VAD_MIN_RUN_MS, fps))
    for a, b in _runs(out.copy()):
        if b - a < min_run:
            out[a:b] = False
    return out


# ---------------------------------------------------------------------------------------
# SID fitted on the session itself.

def session_sid(frames, k: int, seed: int) -> float:
    """SID of frames [T, D]: per-channel standardisation over the session's finite values
    (population std, < SID_MIN_STD -> 1), k-means fitted on those frames (metrics.kmeans_fit),
    frames assigned to it. For face-params groups this equals
    metrics.sid_scores(track, metrics.fit_sid_reference([track], seed))."""
    x = np.asarray(frames, dtype=np.float64)
    x = np.where(np.isfinite(x), x, np.nan)
    mean = np.nanmean(x, axis=0)
    std = np.nanstd(x, axis=0)
    std = np.where(std < M.SID_MIN_STD, 1.0, std)
    z = (x - mean) / std
    return M.sid(M.kmeans_assign(z, M.kmeans_fit(z, k, seed)), k)


# ---------------------------------------------------------------------------------------
# Golden data.

# Damage applied to a copy of the example avatar track: (frames, channel, value). Holes
# at the very start and in a run (nod_band_energy interpolates them; the start is held
# constant), single holes in jaw and smile, an inf, and values at and past the widened
# range bounds, compared in float64 as metrics.py does: float32 0.65 rounds down
# (0.6499999762) and stays inside yaw's 0.65; float32 -0.05 rounds away from zero
# (-0.0500000007) and is just outside blink's -0.05.
DAMAGE = (
    ((0, 1, 2), M.HEAD_PITCH, np.nan),
    ((100, 101, 102, 103, 104, 105), M.HEAD_PITCH, np.nan),
    ((40, 41, 300), M.JAW_OPEN, np.nan),
    ((77, 78), M.MOUTH_SMILE, np.nan),
    ((200,), M.GAZE_X, np.inf),
    ((210,), M.HEAD_YAW, 0.65),
    ((211,), M.HEAD_YAW, 0.6501),
    ((212,), M.BLINK_LEFT, -0.05),
    ((213,), M.BLINK_LEFT, -0.0501),
    ((214, 215), M.JAW_OPEN, 1.2),
)

SID_SEEDS = range(20)        # restart seeds of the Python fit, for the spread SID has
LLOYD_INIT_STEP = 33         # fixed initial centres for Lloyd parity: frames 0, 33, 66, ...
FILTER_CASES = (12, 25, 30, 50)   # fps for the nod band-pass, designed by scipy
FILTER_SIGNAL_FRAMES = 60
SYNC_MAX_LAG_S = 1           # metrics.md: PCC(avatar, user) at lags 0..1 s


def read_wav_int16(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2, path
        return np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64) / 32768.0


def read_track(path: Path) -> np.ndarray:
    return np.loadtxt(path, delimiter=",", skiprows=1)[:, 2:].astype(np.float32)


def _floats(x) -> list | float | None:
    """JSON-ready floats, NaN as null (JSON has no NaN)."""
    a = np.asarray(x, dtype=np.float64)
    if a.ndim == 0:
        return None if np.isnan(a) else float(a)
    return [_floats(v) for v in a]


def _agreement(mask: np.ndarray, labels: np.ndarray) -> dict:
    tp = int((mask & labels).sum())
    return {"agreement": float((mask == labels).mean()), "precision": tp / max(int(mask.sum()), 1),
            "recall": tp / max(int(labels.sum()), 1)}


def _sync(avatar: np.ndarray, user: np.ndarray) -> dict:
    """PCC(avatar, user) per channel: lag 0, lags 0..1 s with the user leading, group means of lag 0."""
    curves = [M.lagged_pcc(user[:, c], avatar[:, c], SYNC_MAX_LAG_S * M.FPS) for c in range(M.NUM_CHANNELS)]
    lag0 = [M.pcc(avatar[:, c], user[:, c]) for c in range(M.NUM_CHANNELS)]
    return {"curves": _floats(curves), "lag0": _floats(lag0),
            "pose": float(np.mean([lag0[c] for c in M.POSE_CHANNELS])),
            "expression": float(np.mean([lag0[c] for c in M.EXPRESSION_CHANNELS]))}


def _case(avatar: np.ndarray, user: np.ndarray, avatar_audio: np.ndarray, masks: dict, gt: np.ndarray) -> dict:
    """Expected outputs for one avatar track against the example's user, audio and masks."""
    out = {
        "nod_band_energy": _floats(M.nod_band_energy(avatar)),
        "variance": M.variance(avatar),
        "variance_all": float(np.mean(np.nanvar(np.where(np.isfinite(avatar), avatar.astype(np.float64), np.nan), axis=0))),
        "sync": _sync(avatar, user),
        "smile_mirroring": _floats(M.smile_mirroring(user, avatar)),
        "rpcc_pose": M.rpcc(gt, avatar, user, M.POSE_CHANNELS),
        "rpcc_expression": M.rpcc(gt, avatar, user, M.EXPRESSION_CHANNELS),
    }
    for name, (avatar_speaking, user_speaking) in masks.items():
        out[f"conversation_{name}"] = {k: _floats(v) for k, v in M.conversation_measures(
            avatar, user, avatar_audio, avatar_speaking, user_speaking).items()}
    return out


def _sid(avatar: np.ndarray) -> dict:
    """SID fitted on the session (several seeds), and exact-parity material for the
    deterministic parts: standardisation, Lloyd from fixed centres, assignment."""
    out = {"seeds": list(SID_SEEDS)}
    for group, channels in M.GROUPS.items():
        k = M.SID_K[group]
        out[group] = [session_sid(avatar[:, list(channels)], k, s) for s in SID_SEEDS]
    ref = M.fit_sid_reference([avatar], seed=0)
    check = M.sid_scores(avatar, ref)
    assert all(check[g] == out[g][0] for g in M.GROUPS), "session_sid differs from fit_sid_reference"
    out["all"] = [session_sid(avatar, M.SID_K["expression"], s) for s in SID_SEEDS]

    z = (avatar.astype(np.float64) - ref.mean) / ref.std
    lloyd = {}
    for group, channels in M.GROUPS.items():
        k = M.SID_K[group]
        zg = z[:, list(channels)]
        init = zg[np.arange(k) * LLOYD_INIT_STEP].copy()
        centres, inertia = M._lloyd(zg, init)
        labels = M.kmeans_assign(zg, centres)
        lloyd[group] = {"centres": _floats(centres), "inertia": inertia,
                        "labels": labels.tolist(), "sid": M.sid(labels, k)}
    out["mean"], out["std"] = _floats(ref.mean), _floats(ref.std)
    out["lloyd"] = lloyd
    return out


def _filters() -> dict:
    rng = np.random.default_rng(11)
    out = {"sos25": _floats(M.NOD_SOS), "cases": []}
    for fps in FILTER_CASES:
        sos = butter(M.NOD_FILTER_ORDER, M.NOD_BAND_HZ, btype="bandpass", fs=fps, output="sos")
        x = np.cumsum(rng.standard_normal(FILTER_SIGNAL_FRAMES)) * 0.01
        y = sosfiltfilt(sos, x, padtype=M.NOD_PADTYPE, padlen=M.NOD_PADLEN)
        out["cases"].append({"fps": fps, "sos": _floats(sos), "x": _floats(x), "y": _floats(y)})
    return out


def _vad_cases() -> list:
    """Synthetic envelopes (dB per frame at 25 fps) where each term of the VAD decides: the
    floor term (a quiet voice over steady noise), the peak term (loud speech with quieter
    echoes), digital silence pulling the floor down, NaN frames, and noise alone."""
    rng = np.random.default_rng(3)
    n = 300
    noise = -50 + rng.normal(0, 1.0, n)
    bursts = np.zeros(n, dtype=bool)
    for start in range(10, n - 20, 37):
        bursts[start:start + int(rng.integers(1, 20))] = True
    quiet_voice = np.where(bursts, -50 + rng.uniform(2, 14, n), noise)
    loud = np.where(bursts, -12 + rng.normal(0, 4, n), np.where(rng.random(n) < 0.3, -35 + rng.normal(0, 3, n), noise))
    silence = loud.copy()
    silence[:60] = 20 * np.log10(M.LOUDNESS_EPS)
    holes = loud.copy()
    holes[::7] = np.nan
    cases = {"floor_decides": quiet_voice, "peak_decides": loud, "digital_silence": silence,
             "nan_frames": holes, "noise_only": noise}
    return [{"name": name, "fps": M.FPS, "loudness": _floats(e), "threshold_floor_peak": list(vad_threshold(e)),
             "speaking": energy_vad(e, M.FPS).astype(int).tolist()} for name, e in cases.items()]


def _loudness_cases(out: Path) -> list:
    rng = np.random.default_rng(5)
    cases = []
    for rate, fps, seconds in ((16000, 30, 0.3), (44100, 30, 0.1)):
        n = int(rate * seconds) + 7  # a trailing partial frame, which is ignored
        gain = np.repeat(10 ** rng.uniform(-4, 0, n // 100 + 1), 100)[:n]
        audio = (rng.standard_normal(n) * gain).astype(np.float32)
        name = f"audio_{rate}_{fps}.npy"
        np.save(out / name, audio)
        cases.append({"file": name, "sample_rate": rate, "fps": fps,
                      "loudness": _floats(loudness_envelope_at(audio, rate, fps))})
    return cases


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    avatar = read_track(EXAMPLE / "avatar_motion_gt.csv")
    user = read_track(EXAMPLE / "user_motion.csv")
    damaged = avatar.copy()
    for frames, channel, value in DAMAGE:
        damaged[list(frames), channel] = value
    np.save(out / "avatar_motion.npy", avatar)
    np.save(out / "user_motion.npy", user)
    np.save(out / "avatar_motion_damaged.npy", damaged)

    labels = np.loadtxt(EXAMPLE / "labels.csv", delimiter=",", skiprows=1)  # frame, time, 0/1 columns
    audio = {who: read_wav_int16(EXAMPLE / f"{who}.wav") for who in ("user", "avatar")}
    loud = {who: M.loudness_envelope(a) for who, a in audio.items()}
    for who, a in audio.items():
        assert np.array_equal(loud[who], loudness_envelope_at(a, M.SAMPLE_RATE, M.FPS))
    truth = {"user": labels[:, 2] == 1, "avatar": labels[:, 3] == 1}
    vad = {who: energy_vad(loud[who], M.FPS) for who in audio}
    laugh = {"user": labels[:, 4] == 1, "avatar": labels[:, 5] == 1}

    golden = {
        "example": {
            "loudness": {who: _floats(v) for who, v in loud.items()},
            "vad": {who: {"speaking": vad[who].astype(int).tolist(),
                          "threshold_floor_peak": list(vad_threshold(loud[who])),
                          "vs_labels": _agreement(vad[who], truth[who]),
                          "false_positives_on_laughter": int((vad[who] & ~truth[who] & laugh[who]).sum())}
                    for who in audio},
            "labels": {who: truth[who].astype(int).tolist() for who in audio},
        },
        "clean": _case(avatar, user, audio["avatar"], {"labels": (truth["avatar"], truth["user"]),
                                                        "vad": (vad["avatar"], vad["user"])}, avatar),
        "damaged": _case(damaged, user, audio["avatar"], {"labels": (truth["avatar"], truth["user"])}, avatar),
        "sid": _sid(avatar),
        "vad_cases": _vad_cases(),
        "filters": _filters(),
        "loudness_rates": _loudness_cases(out),
    }
    with open(out / "measures.json", "w") as f:
        json.dump(golden, f, separators=(",", ":"))
        f.write("\n")
    for path in sorted(out.iterdir()):
        print(f"{path.name}: {path.stat().st_size} bytes")
    for who in audio:
        a = golden["example"]["vad"][who]["vs_labels"]
        print(f"VAD vs labels ({who}): agreement {a['agreement']:.3f}, precision {a['precision']:.3f}, "
              f"recall {a['recall']:.3f}")
    s = golden["sid"]
    for g in ("pose", "expression", "all"):
        print(f"SID {g} over seeds: min {min(s[g]):.4f} max {max(s[g]):.4f} mean {np.mean(s[g]):.4f}")


if __name__ == "__main__":
    main()
