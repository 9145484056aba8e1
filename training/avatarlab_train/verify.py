"""Verification of an exported package: ONNX vs PyTorch, and the reference sampler's invariants.

python3 -m avatarlab_train.verify --checkpoint runs/x/model.pt --package ../models/reference [--fixture]

- ONNX parity: random denoiser inputs (with and without cache, first-clip and recomputed
  window sizes, a position an hour into a stream) are run through PyTorch here and through
  ONNX Runtime by training/onnxcheck (C#, the runtime the engine uses); every output must
  agree within 1e-4.
- Sampler: the reference sampler streams random conditions with and without the cache
  (max difference reported; at most 1e-4 required for single-layer models, where RoPE makes
  both paths identical), and no output frame may change when inputs after its block change.
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

import numpy as np
import torch

from .export import INPUT_NAMES, OUTPUT_NAMES, example_inputs
from .model import AvatarForcingModel
from .sampler import SamplerOptions, StreamingSampler, Window, torch_denoiser

REPO = Path(__file__).resolve().parents[2]
ONNX_TOLERANCE = 1e-4          # issue #2: ONNX and PyTorch agree within 1e-4
SINGLE_LAYER_TOLERANCE = 1e-4  # cached == recomputed for one layer (RoPE is relative)


def write_npy(path: Path, value: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, value)


def write_onnx_cases(model: AvatarForcingModel, window: Window, out: Path, seed: int = 0) -> list[str]:
    """Writes onnxcheck cases: inputs/<name>.npy and expected/<name>.npy per case."""
    cfg = model.cfg
    g = torch.Generator().manual_seed(seed)
    layouts = [
        # (batch, frames, past, past_cross, start_pos): a streamed block with the cache ...
        (3, window.context + window.block, window.self_cache, window.cross_cache, window.clip - window.context),
        # ... the first clip and a recomputed window (no cache) ...
        (3, window.clip, 0, 0, 0),
        (3, window.clip, 0, 0, 1000),
        # ... one session, odd sizes, an hour into the stream (25 fps * 3600 s).
        (1, 7, 5, window.cross_cache, 90_000),
        # several sessions stacked
        (6, window.context + window.block, window.self_cache, window.cross_cache, 4_000),
    ]
    names = []
    for i, (b, n, p, pc, start) in enumerate(layouts):
        inputs = example_inputs(cfg, b, n, p, pc, start, generator=g)
        with torch.no_grad():
            outputs = model(*inputs)
        case = out / f"case_{i:03d}"
        for name, value in zip(INPUT_NAMES, inputs):
            write_npy(case / "inputs" / f"{name}.npy", value.numpy())
        for name, value in zip(OUTPUT_NAMES, outputs):
            write_npy(case / "expected" / f"{name}.npy", value.numpy())
        names.append(case.name)
    (out / "cases.json").write_text(json.dumps({"cases": names}) + "\n")
    return names


def run_onnxcheck(package: Path, cases: Path, tol: float = ONNX_TOLERANCE) -> dict:
    cmd = ["dotnet", "run", "--project", str(REPO / "training" / "onnxcheck"), "-c", "Release", "--",
           "--model", str(package), "--cases", str(cases), "--tol", str(tol)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    print(proc.stdout.rstrip())
    if proc.returncode != 0:
        print(proc.stderr.rstrip())
    worst = 0.0
    for line in proc.stdout.splitlines():
        for part in line.split():
            if part.startswith("max_abs_diff=") and part != "max_abs_diff=n/a":
                worst = max(worst, float(part.split("=", 1)[1]))
    return {"ok": proc.returncode == 0, "max_abs_diff": worst, "tolerance": tol}


def random_streams(cfg, k: int, frames: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((k, frames, cfg.audio_dim)).astype(np.float32),
            rng.standard_normal((k, frames, cfg.user_audio_dim)).astype(np.float32),
            (0.3 * rng.standard_normal((k, frames, cfg.motion_dim))).astype(np.float32))


def seeded_noise(k: int, dim: int, seed: int):
    """Noise per block, the same for every call with the same block index (both paths share it)."""
    cache: dict[int, np.ndarray] = {}

    def noise(block: int, frames: int) -> np.ndarray:
        if block not in cache:
            cache[block] = np.random.default_rng([seed, block]).standard_normal((k, frames, dim))
        return cache[block]

    return noise


def sampler_checks(model: AvatarForcingModel, window: Window, blocks: int = 6, seed: int = 0) -> dict:
    cfg = model.cfg
    sizes = dict(layers=cfg.layers, heads=cfg.heads, head_dim=cfg.head_dim, latent_dim=cfg.latent_dim)
    den = torch_denoiser(model)
    frames = window.clip + blocks * window.block
    streams = random_streams(cfg, 2, frames, seed)
    noise = seeded_noise(2, cfg.latent_dim, seed)
    run = {cached: StreamingSampler(den, sizes, window, SamplerOptions(shift=cfg.shift), cached=cached).run(*streams, noise)
           for cached in (True, False)}
    result = {"cached_vs_recomputed_max_abs": float(np.abs(run[True] - run[False]).max()),
              "output_max_abs": float(np.abs(run[True]).max())}
    # Causality: change every input after the end of one block; nothing up to it may move.
    cut = window.clip + 2 * window.block
    changed = tuple(s.copy() for s in streams)
    for s in changed:
        s[:, cut:] += np.random.default_rng(seed + 1).standard_normal(s[:, cut:].shape).astype(np.float32)
    for cached in (True, False):
        other = StreamingSampler(den, sizes, window, SamplerOptions(shift=cfg.shift), cached=cached).run(*changed, noise)
        key = "cached" if cached else "recomputed"
        result[f"causality_{key}_before_cut_max_abs"] = float(np.abs(other[:, :cut] - run[cached][:, :cut]).max())
        result[f"causality_{key}_after_cut_max_abs"] = float(np.abs(other[:, cut:] - run[cached][:, cut:]).max())
    result["causal"] = (result["causality_cached_before_cut_max_abs"] == 0.0
                        and result["causality_recomputed_before_cut_max_abs"] == 0.0)
    # The changed inputs must have mattered, or the causality check proved nothing.
    result["inputs_matter"] = result["causality_cached_after_cut_max_abs"] > 1e-6
    return result


def verify_package(model: AvatarForcingModel, window: Window, package: Path, work: Path) -> dict:
    cases = work / f"onnx_cases_{package.name}"
    write_onnx_cases(model, window, cases)
    report = {"onnx": run_onnxcheck(package, cases), "sampler": sampler_checks(model, window)}
    s = report["sampler"]
    report["ok"] = (report["onnx"]["ok"] and s["causal"] and s["inputs_matter"]
                    and (model.cfg.layers > 1 or s["cached_vs_recomputed_max_abs"] <= SINGLE_LAYER_TOLERANCE))
    return report


def window_of(package: Path) -> Window:
    w = json.loads((package / "avatarlab-model.json").read_text())["window"]
    return Window(clip=w["clipFrames"], block=w["blockFrames"], context=w["contextFrames"],
                  lookahead=w["lookaheadFrames"])


def main() -> None:
    from .train import load_checkpoint

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True, help="model.pt of the package's model")
    p.add_argument("--package", required=True)
    p.add_argument("--work", default="runs/verify")
    p.add_argument("--report", help="write the JSON report here")
    args = p.parse_args()
    package = Path(args.package)
    report = verify_package(load_checkpoint(Path(args.checkpoint)), window_of(package), package, Path(args.work))
    print(json.dumps(report, indent=2))
    if args.report:
        Path(args.report).write_text(json.dumps(report, indent=2) + "\n")
    raise SystemExit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
