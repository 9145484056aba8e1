"""Where a model's motion differs from the data's, channel by channel.

python3 -m avatarlab_train.diagnose --checkpoint runs/full/train/model.pt --data runs/full/data
    [--split val] [--limit 8] [--nfe 10] [--avatar-scale 2] [--user-scale 1] [--shift S]

Streams the split through the reference sampler (cached path, like evaluate) and prints, for the
generated tracks and the ground truth: head-pitch energy in the nod band (1-4 Hz, metrics.NOD_SOS)
while the user speaks and while they are silent, the variance of every channel, and how many
values of every channel lie outside the face-params ranges (with metrics.RANGE_TOLERANCE). The
model card's analysis quotes these numbers.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from . import metrics
from .data import load_split, stack
from .evaluate import add_sampler_arguments, generate, sampler_options
from .sampler import Window


def nod_energies(tracks: np.ndarray, convs) -> tuple[float, float]:
    """Mean nod-band head-pitch energy (rad^2, metrics.nod_band_energy) while the user speaks and while silent."""
    speaking, silent = [], []
    for track, c in zip(tracks, convs):
        energy = metrics.nod_band_energy(track)
        mask = c.user_speaking[:len(track)].astype(bool)
        speaking.append(float(energy[mask].mean()))
        silent.append(float(energy[~mask].mean()))
    return float(np.mean(speaking)), float(np.mean(silent))


def describe(name: str, tracks: np.ndarray, convs) -> None:
    lo, hi = metrics.range_bounds()
    speaking, silent = nod_energies(tracks, convs)
    print(f"{name}: nod-band pitch energy while the user speaks {speaking:.2e}, silent {silent:.2e}, "
          f"ratio {speaking / silent:.2f}; {tracks.size:,} values")
    print(f"  {'channel':14s} {'variance':>9s} {'min':>7s} {'max':>7s} {'out of range':>13s}")
    for c, channel in enumerate(metrics.CHANNEL_NAMES):
        x = tracks[..., c]
        out = int(((x < lo[c]) | (x > hi[c])).sum())
        print(f"  {channel:14s} {x.var(axis=1).mean():9.4f} {x.min():7.2f} {x.max():7.2f} {out:13d}")


def main() -> None:
    from .train import load_checkpoint

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--split", default="val", choices=["train", "val", "test"])
    p.add_argument("--limit", type=int, default=8)
    add_sampler_arguments(p)
    args = p.parse_args()

    model = load_checkpoint(Path(args.checkpoint))
    convs = load_split(Path(args.data) / args.split, args.limit)
    s = stack(convs)
    window = Window()
    frames = window.frames_for(s["avatar_audio"].shape[1])
    opts = sampler_options(args, model)
    started = time.monotonic()
    tracks = generate(model, s, window, opts, args.seed)
    print(f"{len(convs)} {args.split} conversations x {frames} frames, NFE {opts.nfe}, guidance avatar {opts.avatar_scale} "
          f"user {opts.user_scale}, shift {opts.shift} ({time.monotonic() - started:.0f} s)")
    describe("generated", np.asarray(tracks), convs)
    describe("ground truth", s["avatar_motion"][:, :frames], convs)


if __name__ == "__main__":
    main()
