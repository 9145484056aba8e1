"""Guidance sweep on a split: the measures and targets of evaluate for several guidance scales.

python3 -m avatarlab_train.sweep --checkpoint runs/x/model.pt --data DIR --split val [--limit 8]
    --grid 2/1 1/1 1/1.5 [--out sweep.json]

Each full-condition run streams the split once (cached reference sampler, seeded noise, as
evaluate); the drop-user run, which does not depend on the user scale, once per avatar scale.
Prints one line per setting (targets met, and the measures the targets are on); the model card's
guidance choice quotes it. Choose on validation, report on test.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from . import metrics
from .data import load_split, stack
from .evaluate import check_targets, generate, measure_all
from .sampler import SamplerOptions, Window


def sweep(model, data_dir: Path, split: str, limit: int | None, grid: list[tuple[float, float]], seed: int = 0,
          nfe: int = 10, clamp: bool = False) -> list[dict]:
    window = Window()
    convs = load_split(data_dir / split, limit)
    s = stack(convs)
    frames = window.frames_for(s["avatar_audio"].shape[1])
    sid_ref = metrics.fit_sid_reference([c.avatar_motion[:frames] for c in convs], seed=seed)
    truth = measure_all(s["avatar_motion"][:, :frames], convs, sid_ref, gt=True)
    shift = getattr(model.cfg, "shift", 1.0)
    dropped = {}
    rows = []
    for a, u in grid:
        def opts(drop):
            return SamplerOptions(nfe=nfe, avatar_scale=a, user_scale=u, drop=drop, shift=shift, clamp=clamp)
        if a not in dropped:
            dropped[a] = measure_all(generate(model, s, window, opts(frozenset({"user_audio", "user_motion"})), seed), convs, sid_ref)
        full = measure_all(generate(model, s, window, opts(frozenset()), seed), convs, sid_ref)
        targets = check_targets(full, dropped[a], truth)
        row = {"avatar_scale": a, "user_scale": u, "met": sum(v["ok"] for v in targets.values()), "of": len(targets),
               "targets": targets, "full": full, "drop_user": dropped[a]}
        rows.append(row)
        print(f"{a:g}/{u:g}: {row['met']}/{row['of']} " + " ".join(
            f"{k}={v['value']:.3g}{'' if v['ok'] else '!'}" for k, v in targets.items()), flush=True)
    return rows


def main() -> None:
    from .train import load_checkpoint

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--split", default="val", choices=["train", "val", "test"])
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--grid", nargs="+", required=True, help="avatar/user scale pairs, e.g. 2/1 1/1.5")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--nfe", type=int, default=10)
    p.add_argument("--clamp", action="store_true", help="clamp each step's x0 to the face-params ranges")
    p.add_argument("--out", default=None)
    args = p.parse_args()
    grid = [tuple(float(v) for v in g.split("/")) for g in args.grid]
    rows = sweep(load_checkpoint(Path(args.checkpoint)), Path(args.data), args.split, args.limit, grid, args.seed, args.nfe, args.clamp)
    if args.out:
        Path(args.out).write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
