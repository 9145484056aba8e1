"""Builds the test fixture packages: random-weight models with other sizes than the reference.

python3 -m avatarlab_train.fixtures --out ../tests/fixtures

Nothing downstream may hard-code the reference model's sizes; these packages differ in
every size the contract lets vary (layers, heads, head width, mel bins, clip, block), and
tiny-3layer has a scheduler shift (diffusion.shift 0.5).
Weights are random (seeded) and perturbed away from the zero initialisation of adaLN-Zero,
which would otherwise make every block the identity and every velocity zero.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch

from .export import manifest, write_package
from .model import AvatarForcingModel, ModelConfig, count_parameters
from .sampler import Window
from .verify import verify_package

FIXTURES = {
    # name: (model config, window)
    "tiny-1layer": (ModelConfig(width=32, layers=1, heads=2, mlp_ratio=2.0), Window(clip=20, block=5, context=2)),
    # tiny-3layer also uses a scheduler shift, so the engine's shifted timesteps are tested.
    "tiny-3layer": (ModelConfig(width=48, layers=3, heads=3, mlp_ratio=1.5, audio_dim=160, user_audio_dim=160, shift=0.5),
                    Window(clip=20, block=5, context=2)),
}


def random_model(cfg: ModelConfig, seed: int) -> AvatarForcingModel:
    torch.manual_seed(seed)
    model = AvatarForcingModel(cfg)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    return model.eval()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default="../tests/fixtures")
    p.add_argument("--work", default="runs/fixtures")
    args = p.parse_args()
    failed = []
    for i, (name, (cfg, window)) in enumerate(FIXTURES.items()):
        model = random_model(cfg, seed=100 + i)
        doc = manifest(cfg, name, f"Test fixture: random weights, {cfg.layers} layer(s), "
                       f"{count_parameters(model):,} parameters. Not a usable avatar model.",
                       clip=window.clip, block=window.block, context=window.context)
        doc["features"]["audio"]["melBins"] = cfg.audio_dim // cfg.audio_tokens
        out = Path(args.out) / name
        write_package(model, out, doc)
        # The weights beside the package, for regenerating golden sampler outputs later.
        Path(args.work).mkdir(parents=True, exist_ok=True)
        torch.save({"config": cfg.to_dict(), "state": model.state_dict()}, Path(args.work) / f"{name}.pt")
        report = verify_package(model, window, out, Path(args.work))
        (Path(args.work) / f"{name}.verify.json").write_text(json.dumps(report, indent=2) + "\n")
        print(name, json.dumps(report["sampler"]), "onnx", report["onnx"])
        if not report["ok"]:
            failed.append(name)
    if failed:
        raise SystemExit(f"fixture verification failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
