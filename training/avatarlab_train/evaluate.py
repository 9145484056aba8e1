"""Evaluates a trained model on the held-out test split with the measures of metrics.md.

python3 -m avatarlab_train.evaluate --checkpoint runs/x/model.pt --data DIR --out report.json

The whole split streams as one batch through the reference sampler (cached path, default
guidance and NFE), once with every condition and once with the user's conditions dropped
(user audio and user motion zeroed: the paper's synthetic DPO losers). The same measures
are computed on the ground-truth avatar tracks, and the targets of issue #2 are checked.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from . import metrics
from .data import load_split, stack
from .sampler import SamplerOptions, StreamingSampler, Window, torch_denoiser
from .verify import seeded_noise

# Targets of issue #2 for the shipped model.
TARGETS = {
    "lip_sync_min": 0.6,
    "smile_mirror_min": 0.5,
    "smile_mirror_drop_gap_min": 0.3,   # full minus drop-user
    "nod_ratio_min": 2.0,
    "sid_var_rel_tol": 0.30,            # SID and Var within 30% of the ground truth's
}


def measure_all(tracks: np.ndarray, convs, sid_ref, gt: bool = False) -> dict:
    rows = []
    for track, c in zip(tracks, convs):
        t = len(track)
        rows.append(metrics.conversation_measures(
            track, c.user_motion[:t], c.avatar_audio[:t * metrics.SAMPLES_PER_FRAME],
            c.avatar_speaking[:t], c.user_speaking[:t], sid_ref=sid_ref,
            avatar_gt=None if gt else c.avatar_motion[:t]))
    return metrics.aggregate(rows)


def check_targets(full: dict, dropped: dict, truth: dict) -> dict:
    def rel(key):
        return abs(full[key] - truth[key]) / max(abs(truth[key]), 1e-12)

    checks = {
        "lip_sync": (full["lip_sync"], full["lip_sync"] >= TARGETS["lip_sync_min"]),
        "smile_mirror_pcc": (full["smile_mirror_pcc"], full["smile_mirror_pcc"] >= TARGETS["smile_mirror_min"]),
        "smile_mirror_drop_gap": (full["smile_mirror_pcc"] - dropped["smile_mirror_pcc"],
                                  full["smile_mirror_pcc"] - dropped["smile_mirror_pcc"] >= TARGETS["smile_mirror_drop_gap_min"]),
        "nod_ratio": (full["nod_ratio"], full["nod_ratio"] >= TARGETS["nod_ratio_min"]),
        "nan_count": (full["nan_count"], full["nan_count"] == 0),
        "out_of_range_frac": (full["out_of_range_frac"], full["out_of_range_frac"] == 0),
    }
    for key in ("sid_pose", "sid_expression", "var_pose", "var_expression"):
        checks[f"{key}_rel_to_gt"] = (rel(key), rel(key) <= TARGETS["sid_var_rel_tol"])
    return {k: {"value": float(v), "ok": bool(ok)} for k, (v, ok) in checks.items()}


def generate(model, s: dict, window: Window, opts: SamplerOptions, seed: int) -> np.ndarray:
    """Streams stacked conversations (data.stack) through the reference sampler (cached path)
    with seeded noise: the avatar tracks [conversations, frames, latent]."""
    cfg = model.cfg
    sizes = dict(layers=cfg.layers, heads=cfg.heads, head_dim=cfg.head_dim, latent_dim=cfg.latent_dim)
    sampler = StreamingSampler(torch_denoiser(model), sizes, window, opts, cached=True)
    return sampler.run(s["avatar_audio"], s["user_audio"], s["user_motion"],
                       seeded_noise(s["avatar_audio"].shape[0], cfg.latent_dim, seed))


def evaluate(model, data_dir: Path, limit: int | None, seed: int, window: Window,
             opts: SamplerOptions | None = None, split: str = "test") -> dict:
    opts = opts or SamplerOptions(shift=getattr(model.cfg, "shift", 1.0))
    convs = load_split(data_dir / split, limit)
    s = stack(convs)
    frames = window.frames_for(s["avatar_audio"].shape[1])
    sid_ref = metrics.fit_sid_reference([c.avatar_motion[:frames] for c in convs], seed=seed)
    report = {"split": split, "conversations": len(convs), "frames_each": frames, "seconds_each": frames / metrics.FPS,
              "guidance": {"avatarAudio": opts.avatar_scale, "user": opts.user_scale, "nfe": opts.nfe, "shift": opts.shift,
                           "clampToLatentRange": opts.clamp}}
    runs = {"full": frozenset(), "drop_user": frozenset({"user_audio", "user_motion"})}
    results = {}
    for name, drop in runs.items():
        started = time.monotonic()
        run_opts = SamplerOptions(nfe=opts.nfe, avatar_scale=opts.avatar_scale, user_scale=opts.user_scale,
                                  train_timesteps=opts.train_timesteps, drop=drop, shift=opts.shift, clamp=opts.clamp)
        tracks = generate(model, s, window, run_opts, seed)
        results[name] = measure_all(tracks, convs, sid_ref)
        results[name]["sampling_seconds"] = time.monotonic() - started
        print(f"{name}: {json.dumps(results[name])}", flush=True)
    results["ground_truth"] = measure_all(s["avatar_motion"][:, :frames], convs, sid_ref, gt=True)
    report["measures"] = results
    report["targets"] = check_targets(results["full"], results["drop_user"], results["ground_truth"])
    report["all_targets_met"] = all(v["ok"] for v in report["targets"].values())
    return report


def add_sampler_arguments(p: argparse.ArgumentParser) -> None:
    """The reference sampler's command-line options, shared by evaluate and diagnose."""
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--nfe", type=int, default=10)
    p.add_argument("--avatar-scale", type=float, default=2.0)
    p.add_argument("--user-scale", type=float, default=1.0)
    p.add_argument("--shift", type=float, default=None, help="scheduler shift (default: the model's)")
    p.add_argument("--clamp", action="store_true", help="clamp each step's x0 to the face-params ranges (diffusion.clampToLatentRange)")


def sampler_options(args: argparse.Namespace, model) -> SamplerOptions:
    """SamplerOptions from add_sampler_arguments' options; the shift defaults to the model's."""
    shift = args.shift if args.shift is not None else getattr(model.cfg, "shift", 1.0)
    return SamplerOptions(nfe=args.nfe, avatar_scale=args.avatar_scale, user_scale=args.user_scale, shift=shift, clamp=args.clamp)


def main() -> None:
    from .train import load_checkpoint

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--split", default="test", choices=["train", "val", "test"])
    add_sampler_arguments(p)
    args = p.parse_args()
    model = load_checkpoint(Path(args.checkpoint))
    opts = sampler_options(args, model)
    report = evaluate(model, Path(args.data), args.limit, args.seed, Window(), opts, args.split)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    for k, v in report["targets"].items():
        print(f"{k:32s} {v['value']:10.4f} {'OK' if v['ok'] else 'MISSED'}")


if __name__ == "__main__":
    main()
