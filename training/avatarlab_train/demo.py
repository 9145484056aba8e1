"""Runs a model package's PyTorch weights on a recorded conversation with the reference sampler.

python3 -m avatarlab_train.demo --package ../models/reference --conversation example --out ../out/example

Reads avatar.wav, user.wav (16 kHz mono PCM) and user_motion.csv (face-params/1 track) from
the conversation folder, streams them through the cached Avatar Forcing sampler, writes the
generated avatar track as CSV and prints the reactivity measures beside those of the
ground-truth track when the folder has one (avatar_motion_gt.csv).
"""

from __future__ import annotations

import argparse
import csv
import json
import wave
from pathlib import Path

import numpy as np

from . import features, metrics
from .sampler import SamplerOptions, StreamingSampler, Window, torch_denoiser
from .train import load_checkpoint
from .verify import seeded_noise, window_of


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        if w.getframerate() != features.SAMPLE_RATE or w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise SystemExit(f"{path}: need 16 kHz mono 16-bit PCM (the engine, not this demo, converts other formats)")
        return np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64) / 32768.0


def read_track(path: Path) -> np.ndarray:
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return np.array([[float(r[c]) for c in metrics.CHANNEL_NAMES] for r in rows], np.float32)


def write_track(path: Path, track: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["frame", "time", *metrics.CHANNEL_NAMES])
        for i, row in enumerate(track):
            w.writerow([i, f"{i / features.FPS:.2f}", *(f"{v:.5f}" for v in row)])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--package", required=True)
    p.add_argument("--conversation", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    package, conv = Path(args.package), Path(args.conversation)
    model = load_checkpoint(package / "pytorch" / "model.pt")
    avatar_audio, user_audio = read_wav(conv / "avatar.wav"), read_wav(conv / "user.wav")
    user_motion = read_track(conv / "user_motion.csv")
    frames = min(len(avatar_audio), len(user_audio)) // features.SAMPLES_PER_FRAME
    frames = min(frames, len(user_motion))
    aa = features.logmel(avatar_audio[: frames * features.SAMPLES_PER_FRAME])[None]
    ua = features.logmel(user_audio[: frames * features.SAMPLES_PER_FRAME])[None]
    cfg = model.cfg
    sizes = dict(layers=cfg.layers, heads=cfg.heads, head_dim=cfg.head_dim, latent_dim=cfg.latent_dim)
    window: Window = window_of(package)
    track = StreamingSampler(torch_denoiser(model), sizes, window, SamplerOptions(shift=model.cfg.shift), cached=True).run(
        aa, ua, user_motion[None, :frames], seeded_noise(1, cfg.latent_dim, args.seed))[0]
    out = Path(args.out)
    write_track(out / "avatar_motion.csv", track)
    n = len(track)
    env = metrics.loudness_envelope(avatar_audio[: n * features.SAMPLES_PER_FRAME])
    user_env = metrics.loudness_envelope(user_audio[: n * features.SAMPLES_PER_FRAME])
    if (conv / "labels.csv").exists():
        with open(conv / "labels.csv") as f:
            labels = list(csv.DictReader(f))[:n]
        avatar_speaking = np.array([r["avatar_speaking"] == "1" for r in labels])
        user_speaking = np.array([r["user_speaking"] == "1" for r in labels])
    else:
        # Without labels, a frame "speaks" when it is within 30 dB of the loudest frame.
        avatar_speaking, user_speaking = env > env.max() - 30, user_env > user_env.max() - 30
    result = {"generated": metrics.conversation_measures(track, user_motion[:n], avatar_audio[: n * 640],
                                                          avatar_speaking, user_speaking)}
    if (conv / "avatar_motion_gt.csv").exists():
        gt = read_track(conv / "avatar_motion_gt.csv")[:n]
        result["ground_truth"] = metrics.conversation_measures(gt, user_motion[:n], avatar_audio[: n * 640],
                                                               avatar_speaking, user_speaking)
    (out / "measures.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out / 'avatar_motion.csv'} ({n} frames, {n / features.FPS:.1f} s)")
    for key in ("lip_sync", "smile_mirror_pcc", "smile_mirror_lag_s", "nod_ratio", "var_pose", "var_expression"):
        gt_value = result.get("ground_truth", {}).get(key, float("nan"))
        print(f"  {key:20s} generated {result['generated'][key]:8.3f}   ground truth {gt_value:8.3f}")


if __name__ == "__main__":
    main()
