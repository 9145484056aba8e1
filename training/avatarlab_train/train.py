"""Diffusion-forcing training of the reference model on CPU.

python3 -m avatarlab_train.train --data DIR --out DIR [--steps N] [--smoke]

Per training clip (50 frames) the noise levels follow one of three layouts:
- independent: one uniform timestep per 10-frame block (diffusion forcing, as the
  official code trains);
- stream: the first clip - block frames clean (t = 0), the last block noisy: exactly what
  every streamed block sees at inference (cache or recomputed window);
- clip: one timestep for the whole clip: what the first clip of a stream sees.
Flow matching: x_t = (1 - s) x0 + s e, s = t / 1000, target v = e - x0, L1 loss (or L2 with
--loss l2, or per channel with --loss hybrid) over the noisy frames. Conditions are dropped (zeroed) per clip so that each branch of the 3-way
classifier-free guidance (none / avatar audio only / user only) is trained.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import time
from pathlib import Path

import numpy as np
import torch

from .data import ClipSampler, load_split
from .model import ENCODERS, AvatarForcingModel, ModelConfig, count_parameters
from .sampler import shifted

CLIP, BLOCK, CONTEXT = 50, 10, 2
LAYOUT_PROBS = {"independent": 0.4, "stream": 0.4, "clip": 0.2}
# Condition dropout: the guidance branches are (none), (avatar audio), (user audio + motion);
# the full-condition layout keeps the model useful as a plain conditional model.
DROP_PROBS = {"none": 0.10, "avatar_only": 0.25, "user_only": 0.25, "full": 0.40}
PARTIAL_USER_DROP = 0.05  # within "full": drop just the user's audio, or just their motion (dashboard ablations)


def sample_timesteps(rng: np.random.Generator, batch: int, train_timesteps: int, shift: float = 1.0) -> np.ndarray:
    """Per-frame timesteps of a batch: a uniform level per block (or per clip) mapped through
    the scheduler shift, so training sees noise levels as often as the sampler visits them."""
    t = np.zeros((batch, CLIP), np.float32)
    layouts = rng.choice(list(LAYOUT_PROBS), size=batch, p=list(LAYOUT_PROBS.values()))
    for i, layout in enumerate(layouts):
        if layout == "independent":
            t[i] = np.repeat(rng.uniform(0, train_timesteps, CLIP // BLOCK), BLOCK)
        elif layout == "stream":
            t[i, CLIP - BLOCK:] = rng.uniform(0, train_timesteps)
        else:
            t[i] = rng.uniform(0, train_timesteps)
    return shifted(t, shift, train_timesteps).astype(np.float32)


def drop_masks(rng: np.random.Generator, batch: int) -> dict[str, np.ndarray]:
    """1.0 keeps a condition, 0.0 drops it; shapes [batch, 1, 1]."""
    kind = rng.choice(list(DROP_PROBS), size=batch, p=list(DROP_PROBS.values()))
    keep_avatar = np.isin(kind, ["avatar_only", "full"])
    keep_user = np.isin(kind, ["user_only", "full"])
    partial = rng.uniform(size=batch)
    keep_user_audio = keep_user & ~((kind == "full") & (partial < PARTIAL_USER_DROP))
    keep_user_motion = keep_user & ~((kind == "full") & (partial > 1 - PARTIAL_USER_DROP))
    as_mask = lambda m: m.astype(np.float32)[:, None, None]  # noqa: E731
    return {"avatar_audio": as_mask(keep_avatar), "user_audio": as_mask(keep_user_audio),
            "user_motion": as_mask(keep_user_motion)}


LOSSES = ("l1", "l2", "hybrid")
# --loss hybrid: L2 (the conditional mean, which flow matching needs to sample the data's
# distribution) on the channels whose motion is brief, random events that L1's median pulls to
# "none" (head pose, blinks, brows, gaze); L1 on the mouth (jaw, smile, pucker), where the mean
# made the 3-way guidance overshoot. Indices into face-params/1.
L2_CHANNELS_HYBRID = (0, 1, 2, 6, 7, 8, 9, 10, 11)


def channel_weights(spec: str | None, dim: int = 12) -> torch.Tensor | None:
    """--channel-weights "head_pitch=4,jaw_open=2" -> per-channel loss weights [dim] (others 1);
    None for none. The weighted loss is normalised by the weights' sum, so its scale stays that of
    the unweighted mean."""
    if not spec:
        return None
    from .metrics import CHANNEL_NAMES
    w = torch.ones(dim)
    for item in spec.split(","):
        name, _, value = item.partition("=")
        if name.strip() not in CHANNEL_NAMES or not value:
            raise SystemExit(f"--channel-weights: '{item}' is not CHANNEL=WEIGHT with a face-params channel ({', '.join(CHANNEL_NAMES)})")
        w[CHANNEL_NAMES.index(name.strip())] = float(value)
    return w


def loss_on_batch(model: AvatarForcingModel, batch: dict, rng: np.random.Generator, loss: str = "l1",
                  weights: torch.Tensor | None = None) -> torch.Tensor:
    cfg = model.cfg
    b = batch["avatar_motion"].shape[0]
    x0 = torch.from_numpy(batch["avatar_motion"])
    t = torch.from_numpy(sample_timesteps(rng, b, cfg.train_timesteps, cfg.shift))
    e = torch.from_numpy(rng.standard_normal(x0.shape).astype(np.float32))
    s = (t / cfg.train_timesteps)[..., None]
    xt = (1 - s) * x0 + s * e
    masks = drop_masks(rng, b)
    conds = {k: torch.from_numpy(batch[k] * masks[k]) for k in masks}
    empty = model.empty_cache(b)
    start = torch.tensor(int(rng.integers(0, 5000)), dtype=torch.int64)
    velocity = model(xt, t, conds["avatar_audio"], conds["user_audio"], conds["user_motion"],
                     torch.zeros(b, cfg.latent_dim), start, *empty)[0]
    noisy = (t > 0).float()[..., None]
    err = velocity - (e - x0)
    if loss == "l1":
        per_value = err.abs()
    elif loss == "l2":
        per_value = err * err
    else:
        l2 = torch.zeros(cfg.latent_dim, dtype=torch.bool)
        l2[list(L2_CHANNELS_HYBRID)] = True
        per_value = torch.where(l2, err * err, err.abs())
    if weights is not None:
        return (per_value * weights * noisy).sum() / (noisy.sum() * weights.sum()).clamp(min=1)
    return (per_value * noisy).sum() / (noisy.sum() * cfg.latent_dim).clamp(min=1)


def train(args) -> dict:
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    cfg = ModelConfig(width=args.width, layers=args.layers, heads=args.heads, shift=args.shift, encoder=args.encoder)
    weights = channel_weights(args.channel_weights, cfg.latent_dim)
    model = AvatarForcingModel(cfg)
    ema = copy.deepcopy(model).eval()
    for p in ema.parameters():
        p.requires_grad_(False)
    print(f"model: {count_parameters(model):,} parameters, {cfg}")

    train_convs = load_split(Path(args.data) / "train", args.limit)
    val_convs = load_split(Path(args.data) / "val", args.limit)
    sampler = ClipSampler(train_convs, CLIP, rng)
    val_batch = ClipSampler(val_convs, CLIP, np.random.default_rng(12345)).batch(args.val_clips)
    print(f"data: {len(train_convs)} train / {len(val_convs)} val conversations")

    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warmup = max(1, min(200, args.steps // 10))
    history = []
    started = time.monotonic()
    for step in range(1, args.steps + 1):
        lr = args.lr * min(1.0, step / warmup) * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * step / args.steps)))
        for group in opt.param_groups:
            group["lr"] = lr
        loss = loss_on_batch(model, sampler.batch(args.batch), rng, args.loss, weights)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        decay = min(args.ema, (1 + step) / (10 + step))
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(decay).add_(pm.detach(), alpha=1 - decay)
        if step % args.log_every == 0 or step == args.steps:
            with torch.no_grad():
                val = loss_on_batch(ema, val_batch, np.random.default_rng(777), args.loss, weights).item()
            elapsed = time.monotonic() - started
            history.append({"step": step, "train_l1": loss.item(), "val_l1": val, "seconds": elapsed})
            print(f"step {step}/{args.steps} train {loss.item():.4f} val(ema) {val:.4f} lr {lr:.2e} {elapsed:.0f}s", flush=True)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    summary = {"config": cfg.to_dict(), "parameters": count_parameters(model), "steps": args.steps,
               "batch": args.batch, "loss": args.loss, "channel_weights": args.channel_weights, "seconds": time.monotonic() - started, "history": history,
               "train_conversations": len(train_convs), "seed": args.seed, "threads": args.threads}
    torch.save({"config": cfg.to_dict(), "state": ema.state_dict()}, out / "model.pt")
    (out / "training.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def load_checkpoint(path: Path) -> AvatarForcingModel:
    ckpt = torch.load(path, map_location="cpu")
    model = AvatarForcingModel(ModelConfig(**ckpt["config"]))
    model.load_state_dict(ckpt["state"])
    return model.eval()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--steps", type=int, default=6000)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--width", type=int, default=96)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--encoder", default="attention", choices=sorted(ENCODERS), help="condition encoder (model.py)")
    p.add_argument("--shift", type=float, default=1.0, help="scheduler shift (< 1: more steps at low noise)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--loss", default="l1", choices=LOSSES)
    p.add_argument("--channel-weights", default=None, help='per-channel loss weights, e.g. "head_pitch=4" (others 1)')
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--limit", type=int, default=None, help="use at most this many conversations per split")
    p.add_argument("--val-clips", type=int, default=64)
    p.add_argument("--log-every", type=int, default=100)
    train(p.parse_args())


if __name__ == "__main__":
    main()
