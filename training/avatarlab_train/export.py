"""Export a model to an AvatarLab model package (contract v1): denoiser.onnx + avatarlab-model.json."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import torch

from . import features
from .model import AvatarForcingModel, ModelConfig

INPUT_NAMES = ["x", "t", "avatar_audio", "user_audio", "user_motion", "identity", "start_pos",
               "past_key", "past_value", "past_cross_key", "past_cross_value"]
OUTPUT_NAMES = ["velocity", "present_key", "present_value", "present_cross_key", "present_cross_value",
                "self_attention", "cross_attention"]
CHANNELS = ["head_yaw", "head_pitch", "head_roll", "jaw_open", "mouth_smile", "mouth_pucker",
            "blink_left", "blink_right", "brow_left", "brow_right", "gaze_x", "gaze_y"]
OPSET = 17


def example_inputs(cfg: ModelConfig, batch: int = 3, frames: int = 12, past: int = 5, past_cross: int = 2,
                   start: int = 48, generator: torch.Generator | None = None) -> tuple[torch.Tensor, ...]:
    """Random denoiser inputs of the contract's shapes (used for export tracing and for verification)."""
    g = generator
    cache = (cfg.layers, batch, cfg.heads)
    return (
        torch.randn(batch, frames, cfg.latent_dim, generator=g),
        torch.rand(batch, frames, generator=g) * cfg.train_timesteps,
        torch.randn(batch, frames, cfg.audio_dim, generator=g),
        torch.randn(batch, frames, cfg.user_audio_dim, generator=g),
        torch.randn(batch, frames, cfg.motion_dim, generator=g) * 0.3,
        torch.zeros(batch, cfg.latent_dim),
        torch.tensor(start, dtype=torch.int64),
        torch.randn(*cache, past, cfg.head_dim, generator=g),
        torch.randn(*cache, past, cfg.head_dim, generator=g),
        torch.randn(*cache, past_cross, cfg.head_dim, generator=g),
        torch.randn(*cache, past_cross, cfg.head_dim, generator=g),
    )


def export_denoiser(model: AvatarForcingModel, path: Path) -> None:
    dynamic = {
        "x": {0: "B", 1: "N"}, "t": {0: "B", 1: "N"},
        "avatar_audio": {0: "B", 1: "N"}, "user_audio": {0: "B", 1: "N"}, "user_motion": {0: "B", 1: "N"},
        "identity": {0: "B"},
        "past_key": {1: "B", 3: "P"}, "past_value": {1: "B", 3: "P"},
        "past_cross_key": {1: "B", 3: "Pc"}, "past_cross_value": {1: "B", 3: "Pc"},
        "velocity": {0: "B", 1: "N"},
        "present_key": {1: "B", 3: "N"}, "present_value": {1: "B", 3: "N"},
        "present_cross_key": {1: "B", 3: "N"}, "present_cross_value": {1: "B", 3: "N"},
        "self_attention": {1: "B", 3: "N", 4: "PN"}, "cross_attention": {1: "B", 3: "N", 4: "PcN"},
    }
    model = model.eval()
    with torch.no_grad(), warnings.catch_warnings():
        # Tracing warns about converting shapes to Python values; every such shape is
        # exported as a Shape op (checked by exporting with one size and running others).
        warnings.simplefilter("ignore")
        torch.onnx.export(model, example_inputs(model.cfg), str(path), input_names=INPUT_NAMES,
                          output_names=OUTPUT_NAMES, dynamic_axes=dynamic, opset_version=OPSET,
                          do_constant_folding=True)
    _declare_fixed_dims(path, model.cfg)


def _declare_fixed_dims(path: Path, cfg: ModelConfig) -> None:
    """Tracing leaves heads and head width of some outputs as generated symbols; the contract
    fixes them (L, H, hd), and the engine's validation reads the declared shapes."""
    import onnx

    proto = onnx.load(str(path))
    fixed = {0: cfg.layers, 2: cfg.heads, 4: cfg.head_dim}
    for output in proto.graph.output:
        dims = output.type.tensor_type.shape.dim
        if output.name.startswith("present_"):
            todo = fixed
        elif output.name.endswith("_attention"):
            todo = {0: cfg.layers, 2: cfg.heads}
        else:
            continue
        for axis, value in todo.items():
            dims[axis].ClearField("dim_param")
            dims[axis].dim_value = value
    onnx.checker.check_model(proto)
    onnx.save(proto, str(path))


def manifest(cfg: ModelConfig, name: str, description: str, clip: int, block: int, context: int,
             guidance: tuple[float, float] = (2.0, 1.0), version: str = "1.0.0", clamp: bool = False) -> dict:
    if cfg.latent_dim != len(CHANNELS):
        raise ValueError("the built-in renderer needs a face-params/1 latent of 12 channels")
    return {
        "format": "avatarlab-model/1",
        "name": name,
        "version": version,
        "description": description,
        "fps": features.FPS,
        "sampleRate": features.SAMPLE_RATE,
        "latent": {"dim": cfg.latent_dim, "space": "face-params/1", "channels": CHANNELS},
        "window": {
            "clipFrames": clip, "blockFrames": block, "contextFrames": context,
            "lookaheadFrames": cfg.lookahead,
            # The cache holds the clip minus the new block minus its context frames (see
            # avatar-forcing.md: 50 - 10 - 2 = 38), and `lookahead` condition frames.
            "selfCacheFrames": clip - block - context, "crossCacheFrames": cfg.lookahead,
        },
        "transformer": {"layers": cfg.layers, "heads": cfg.heads, "headDim": cfg.head_dim},
        "diffusion": {"trainTimesteps": cfg.train_timesteps, "shift": cfg.shift, "defaultNfe": 10,
                      **({"clampToLatentRange": True} if clamp else {})},
        "guidance": {"avatarAudio": guidance[0], "user": guidance[1]},
        "features": {
            "audio": {"type": "logmel", "melBins": features.MEL_BINS,
                      "framesPerVideoFrame": features.FRAMES_PER_VIDEO_FRAME},
            "userMotion": {"type": "face-params/1"},
        },
        "renderer": {"type": "parametric-face"},
    }


def write_package(model: AvatarForcingModel, out_dir: Path, manifest_doc: dict) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    export_denoiser(model, out_dir / "denoiser.onnx")
    (out_dir / "avatarlab-model.json").write_text(json.dumps(manifest_doc, indent=2) + "\n")
