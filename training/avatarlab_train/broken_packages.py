"""Writes tiny synthetic model packages that exercise the engine's package loader.

PYTHONPATH=. python3 -m avatarlab_train.broken_packages --out ../tests/fixtures

The graphs have no weights and compute nothing meaningful (velocity = x, caches = zeros);
only their declared inputs and outputs matter, so each file is a few hundred bytes.

- broken/no-velocity/: a denoiser without the required `velocity` output.
- all-onnx/: a valid package that uses every optional ONNX file (audio, motion and identity
  encoders, renderer) with an opaque latent, and a denoiser without the optional attention
  outputs.

Other broken packages (bad manifests, corrupt or missing files, zip-slip) are built by the
C# tests themselves from copies of the real fixtures.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
FLOAT, INT64 = TensorProto.FLOAT, TensorProto.INT64


def _value(name: str, dtype: int, shape: list) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, dtype, shape)


def _const(name: str, values: list[int]) -> onnx.TensorProto:
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def _save(nodes, inputs, outputs, initializers, path: Path) -> None:
    graph = helper.make_graph(nodes, path.stem, inputs, outputs, initializer=initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="avatarlab_train.broken_packages")
    model.ir_version = 8  # readable by every ONNX Runtime since 1.10
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))


def denoiser(path: Path, d: int, fa: int, fm: int, layers: int, heads: int, head_dim: int,
             with_velocity: bool = True) -> None:
    """Contract inputs; velocity = x and every present_* = zeros of [L, B, H, N, hd]."""
    cache = lambda p: [layers, "B", heads, p, head_dim]  # noqa: E731
    inputs = [
        _value("x", FLOAT, ["B", "N", d]), _value("t", FLOAT, ["B", "N"]),
        _value("avatar_audio", FLOAT, ["B", "N", fa]), _value("user_audio", FLOAT, ["B", "N", fa]),
        _value("user_motion", FLOAT, ["B", "N", fm]), _value("identity", FLOAT, ["B", d]),
        _value("start_pos", INT64, []),
        _value("past_key", FLOAT, cache("P")), _value("past_value", FLOAT, cache("P")),
        _value("past_cross_key", FLOAT, cache("Pc")), _value("past_cross_value", FLOAT, cache("Pc")),
    ]
    nodes = [
        helper.make_node("Shape", ["past_key"], ["cache_shape"]),
        helper.make_node("Shape", ["x"], ["x_shape"]),
        helper.make_node("Slice", ["cache_shape", "c0", "c3"], ["lbh"]),
        helper.make_node("Slice", ["x_shape", "c1", "c2"], ["n"]),
        helper.make_node("Slice", ["cache_shape", "c4", "c5"], ["hd"]),
        helper.make_node("Concat", ["lbh", "n", "hd"], ["present_shape"], axis=0),
    ]
    names = ["present_key", "present_value", "present_cross_key", "present_cross_value"]
    nodes += [helper.make_node("ConstantOfShape", ["present_shape"], [n]) for n in names]
    outputs = [_value(n, FLOAT, cache("N")) for n in names]
    if with_velocity:
        nodes.append(helper.make_node("Identity", ["x"], ["velocity"]))
        outputs.insert(0, _value("velocity", FLOAT, ["B", "N", d]))
    consts = [_const(f"c{i}", [i]) for i in range(6)]
    _save(nodes, inputs, outputs, consts, path)


def audio_encoder(path: Path, samples_per_frame: int, dim: int) -> None:
    """audio [1, S] -> features [1, S / samples_per_frame, dim]: the first dim samples of each frame."""
    nodes = [
        helper.make_node("Reshape", ["audio", "frame_shape"], ["framed"]),
        helper.make_node("Slice", ["framed", "start", "end", "axis"], ["features"]),
    ]
    consts = [_const("frame_shape", [1, -1, samples_per_frame]), _const("start", [0]), _const("end", [dim]),
              _const("axis", [2])]
    _save(nodes, [_value("audio", FLOAT, [1, "S"])], [_value("features", FLOAT, [1, "F", dim])], consts, path)


def motion_encoder(path: Path, size: int, dim: int) -> None:
    """frames [T, 3, size, size] -> motion [T, dim]: the first dim pixel values."""
    nodes = [
        helper.make_node("Reshape", ["frames", "flat"], ["pixels"]),
        helper.make_node("Slice", ["pixels", "start", "end", "axis"], ["motion"]),
    ]
    consts = [_const("flat", [0, -1]), _const("start", [0]), _const("end", [dim]), _const("axis", [1])]
    _save(nodes, [_value("frames", FLOAT, ["T", 3, size, size])], [_value("motion", FLOAT, ["T", dim])], consts, path)


def identity_encoder(path: Path, size: int, d: int) -> None:
    """portrait -> identity [1, D] (first D pixels) and appearance (the portrait itself)."""
    nodes = [
        helper.make_node("Reshape", ["portrait", "flat"], ["pixels"]),
        helper.make_node("Slice", ["pixels", "start", "end", "axis"], ["identity"]),
        helper.make_node("Identity", ["portrait"], ["appearance"]),
    ]
    consts = [_const("flat", [1, -1]), _const("start", [0]), _const("end", [d]), _const("axis", [1])]
    _save(nodes, [_value("portrait", FLOAT, [1, 3, size, size])],
          [_value("identity", FLOAT, [1, d]), _value("appearance", FLOAT, [1, 3, size, size])], consts, path)


def renderer(path: Path, size: int, d: int) -> None:
    """appearance [1, 3, s, s] + motion [T, D] -> frames [T, 3, s, s]: the portrait, T times."""
    nodes = [
        helper.make_node("Shape", ["motion"], ["motion_shape"]),
        helper.make_node("Slice", ["motion_shape", "c0", "c1"], ["t"]),
        helper.make_node("Concat", ["t", "image_shape"], ["frames_shape"], axis=0),
        helper.make_node("Expand", ["appearance", "frames_shape"], ["frames"]),
    ]
    consts = [_const("c0", [0]), _const("c1", [1]), _const("image_shape", [3, size, size])]
    _save(nodes, [_value("appearance", FLOAT, [1, 3, size, size]), _value("motion", FLOAT, ["T", d])],
          [_value("frames", FLOAT, ["T", 3, size, size])], consts, path)


def manifest(name: str, latent: dict, transformer: dict, audio: dict, user_motion: dict, renderer_doc: dict) -> dict:
    return {
        "format": "avatarlab-model/1", "name": name, "version": "0.0.1",
        "description": "Synthetic loader test package (avatarlab_train.broken_packages); computes nothing useful.",
        "fps": 25, "sampleRate": 16000, "latent": latent,
        "window": {"clipFrames": 20, "blockFrames": 5, "contextFrames": 2, "lookaheadFrames": 2,
                   "selfCacheFrames": 13, "crossCacheFrames": 2},
        "transformer": transformer,
        "diffusion": {"trainTimesteps": 1000, "shift": 1.0, "defaultNfe": 10},
        "guidance": {"avatarAudio": 2.0, "user": 1.0},
        "features": {"audio": audio, "userMotion": user_motion},
        "renderer": renderer_doc,
    }


def _write_manifest(folder: Path, doc: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "avatarlab-model.json").write_text(json.dumps(doc, indent=2) + "\n")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default="../tests/fixtures")
    out = Path(p.parse_args().out)

    no_velocity = out / "broken" / "no-velocity"
    shutil.rmtree(no_velocity, ignore_errors=True)
    _write_manifest(no_velocity, manifest(
        "no-velocity", {"dim": 12, "space": "face-params/1"}, {"layers": 1, "heads": 2, "headDim": 4},
        {"type": "logmel", "melBins": 8, "framesPerVideoFrame": 4}, {"type": "face-params/1"},
        {"type": "parametric-face"}))
    denoiser(no_velocity / "denoiser.onnx", d=12, fa=32, fm=12, layers=1, heads=2, head_dim=4, with_velocity=False)

    all_onnx = out / "all-onnx"
    shutil.rmtree(all_onnx, ignore_errors=True)
    d, fa, fm, size = 8, 6, 5, 16
    _write_manifest(all_onnx, manifest(
        "all-onnx", {"dim": d, "space": "opaque"}, {"layers": 2, "heads": 2, "headDim": 4},
        {"type": "onnx", "file": "audio_encoder.onnx", "dim": fa},
        {"type": "onnx", "file": "motion_encoder.onnx", "imageSize": size, "dim": fm},
        {"type": "onnx", "identityEncoder": "identity_encoder.onnx", "renderer": "renderer.onnx", "imageSize": size}))
    denoiser(all_onnx / "denoiser.onnx", d=d, fa=fa, fm=fm, layers=2, heads=2, head_dim=4)
    audio_encoder(all_onnx / "audio_encoder.onnx", samples_per_frame=16000 // 25, dim=fa)
    motion_encoder(all_onnx / "motion_encoder.onnx", size=size, dim=fm)
    identity_encoder(all_onnx / "identity_encoder.onnx", size=size, d=d)
    renderer(all_onnx / "renderer.onnx", size=size, d=d)
    for folder in (no_velocity, all_onnx):
        print(folder, ", ".join(f"{f.name} {f.stat().st_size} B" for f in sorted(folder.iterdir())))


if __name__ == "__main__":
    main()
