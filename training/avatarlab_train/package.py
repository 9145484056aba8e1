"""Exports a trained checkpoint to a model package (denoiser.onnx + avatarlab-model.json).

python3 -m avatarlab_train.package --checkpoint runs/full/train/model.pt --out ../models/reference --name reference-tiny

The PyTorch weights go along under pytorch/model.pt (outside the contract, which ignores
other files): training/'s reference sampler needs them to write golden outputs for the
engine's parity tests without retraining.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from .export import manifest, write_package
from .model import count_parameters
from .sampler import Window
from .train import load_checkpoint

DESCRIPTION = ("AvatarLab reference model: a small Avatar Forcing diffusion-forcing transformer "
               "({params:,} parameters) trained on synthetic dyadic conversations; latent = face-params/1. "
               "See MODEL_CARD.md.")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--name", default="reference-tiny")
    p.add_argument("--version", default="1.0.0")
    p.add_argument("--avatar-scale", type=float, default=2.0, help="default avatar-audio guidance written to the manifest")
    p.add_argument("--user-scale", type=float, default=1.0, help="default user guidance written to the manifest")
    p.add_argument("--clamp", action="store_true", help="write diffusion.clampToLatentRange: the engine clamps each step's x0 to the face-params ranges")
    args = p.parse_args()
    model = load_checkpoint(Path(args.checkpoint))
    w = Window()
    doc = manifest(model.cfg, args.name, DESCRIPTION.format(params=count_parameters(model)),
                   clip=w.clip, block=w.block, context=w.context, guidance=(args.avatar_scale, args.user_scale),
                   version=args.version, clamp=args.clamp)
    out = Path(args.out)
    write_package(model, out, doc)
    (out / "pytorch").mkdir(exist_ok=True)
    shutil.copyfile(args.checkpoint, out / "pytorch" / "model.pt")
    print(f"wrote {out}: denoiser.onnx {(out / 'denoiser.onnx').stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
