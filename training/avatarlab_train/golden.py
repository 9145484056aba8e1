"""Golden sampler outputs for the C# engine's parity tests (so its tests need no Python).

python3 -m avatarlab_train.golden --out ../tests/fixtures/golden/sampler \
    --package ../models/reference --checkpoint ../models/reference/pytorch/model.pt --conversation example \
    --fixture ../tests/fixtures/tiny-1layer=runs/full/fixtures/tiny-1layer.pt ...

For each package: the conditions (features per frame), the noise (one row per output frame:
the first clip's frames, then each block's new frames), the options, and the frames the
reference sampler produced with the cache and with window recomputation.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

import numpy as np

from . import features
from .demo import read_track, read_wav
from .sampler import SamplerOptions, StreamingSampler, Window, torch_denoiser
from .train import load_checkpoint
from .verify import random_streams, window_of


def frame_noise(noise: np.ndarray, window: Window):
    """Noise function over a [frames, D] table: row f is the noise of output frame f."""

    def fn(block: int, frames: int) -> np.ndarray:
        start = 0 if block == 0 else window.clip + (block - 1) * window.block
        return noise[None, start:start + frames].astype(np.float64)

    return fn


def manifest_options(package: Path) -> SamplerOptions:
    """The sampler defaults the engine takes from a package's manifest (guidance, shift, NFE, the
    range clamp), so that golden outputs and the engine's default stream agree."""
    m = json.loads((package / "avatarlab-model.json").read_text())
    d, g = m["diffusion"], m["guidance"]
    return SamplerOptions(nfe=d.get("defaultNfe", 10), avatar_scale=g["avatarAudio"], user_scale=g["user"],
                          train_timesteps=d["trainTimesteps"], shift=d.get("shift", 1.0),
                          clamp=bool(d.get("clampToLatentRange", False)))


def write_case(out: Path, model, window: Window, conds: tuple[np.ndarray, ...], seed: int, description: str,
               opts: SamplerOptions) -> dict:
    cfg = model.cfg
    sizes = dict(layers=cfg.layers, heads=cfg.heads, head_dim=cfg.head_dim, latent_dim=cfg.latent_dim)
    frames = window.frames_for(conds[0].shape[0])
    noise = np.random.default_rng(seed).standard_normal((frames, cfg.latent_dim)).astype(np.float32)
    out.mkdir(parents=True, exist_ok=True)
    for name, value in zip(("avatar_audio", "user_audio", "user_motion"), conds):
        np.save(out / f"{name}.npy", value[:frames].astype(np.float32))
    np.save(out / "noise.npy", noise)
    summary = {"description": description, "frames": frames, "nfe": opts.nfe, "avatarScale": opts.avatar_scale,
               "userScale": opts.user_scale, "shift": opts.shift, "clampToLatentRange": opts.clamp,
               "window": window.__dict__, "outputs": {}}
    den = torch_denoiser(model)
    batched = tuple(c[None, :frames] for c in conds)
    for cached in (True, False):
        name = "cached" if cached else "recomputed"
        track = StreamingSampler(den, sizes, window, opts, cached=cached).run(*batched, frame_noise(noise, window))[0]
        np.save(out / f"{name}.npy", track.astype(np.float32))
        summary["outputs"][name] = f"{name}.npy"
    # Drop-user variant on the cached path: the engine's condition dropping must match too.
    drop = dataclasses.replace(opts, drop=frozenset({"user_audio", "user_motion"}))
    track = StreamingSampler(den, sizes, window, drop, cached=True).run(*batched, frame_noise(noise, window))[0]
    np.save(out / "cached_drop_user.npy", track.astype(np.float32))
    summary["outputs"]["cached_drop_user"] = "cached_drop_user.npy"
    (out / "golden.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def conversation_conditions(folder: Path, mel_bins: int) -> tuple[np.ndarray, ...]:
    avatar, user = read_wav(folder / "avatar.wav"), read_wav(folder / "user.wav")
    motion = read_track(folder / "user_motion.csv")
    frames = min(len(avatar) // features.SAMPLES_PER_FRAME, len(user) // features.SAMPLES_PER_FRAME, len(motion))
    n = frames * features.SAMPLES_PER_FRAME
    return features.logmel(avatar[:n], mel_bins), features.logmel(user[:n], mel_bins), motion[:frames]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--package", help="reference package folder (its pytorch/model.pt is used)")
    p.add_argument("--conversation", default="example")
    p.add_argument("--fixture", action="append", default=[], help="PACKAGE_DIR=CHECKPOINT for a fixture package")
    p.add_argument("--fixture-blocks", type=int, default=10)
    args = p.parse_args()
    out = Path(args.out)
    if args.package:
        package = Path(args.package)
        model = load_checkpoint(package / "pytorch" / "model.pt")
        conds = conversation_conditions(Path(args.conversation), model.cfg.audio_dim // model.cfg.audio_tokens)
        s = write_case(out / package.name, model, window_of(package), conds, seed=1,
                       description=f"{package.name} on {args.conversation}", opts=manifest_options(package))
        print(f"{package.name}: {s['frames']} frames")
    for spec in args.fixture:
        package_dir, checkpoint = (Path(x) for x in spec.split("=", 1))
        model = load_checkpoint(checkpoint)
        window = window_of(package_dir)
        conds = tuple(c[0] for c in random_streams(model.cfg, 1, window.clip + args.fixture_blocks * window.block, seed=5))
        s = write_case(out / package_dir.name, model, window, conds, seed=2,
                       description=f"{package_dir.name} on random conditions", opts=manifest_options(package_dir))
        print(f"{package_dir.name}: {s['frames']} frames")


if __name__ == "__main__":
    main()
