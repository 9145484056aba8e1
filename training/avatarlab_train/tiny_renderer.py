"""Builds the tiny identity_encoder.onnx + renderer.onnx pair the .NET renderer tests run.

    cd training && /usr/bin/python3 -m avatarlab_train.tiny_renderer --out ../tests/fixtures/onnx-renderer

No trained renderer ships with AvatarLab, so the OnnxFaceRenderer tests use this pair, built
from a handful of ONNX operators with no weights to speak of (a few KB), whose output is
known in closed form (S = image size, D = latent size, both below):

    identity_encoder:  portrait [1, 3, S, S] in [-1, 1]
        identity [1, D] = (mean R, mean G, mean B, 0, ...)   # per-channel mean of the portrait
        texture  [1, 1, S, S] = mean over channels            # a grey copy of the portrait
    renderer:  identity, texture, motion [T, D]
        frames [T, 3, S, S] = clip(identity[:3] * (1 + motion[:, 0]) + 0.5 * texture * motion[:, 1], -1, 1)

So a frame with motion 0 is the portrait's mean colour, motion[0] scales it and motion[1]
blends in the portrait's grey picture, which pins down the channel and pixel layout.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SIZE = 16
DIM = 4
OPSET = 17


def _const(name: str, value: np.ndarray) -> onnx.NodeProto:
    return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(value, name=name))


def identity_encoder(size: int = SIZE, dim: int = DIM) -> onnx.ModelProto:
    projection = np.zeros((3, dim), dtype=np.float32)
    projection[0, 0] = projection[1, 1] = projection[2, 2] = 1.0
    nodes = [
        helper.make_node("ReduceMean", ["portrait"], ["mean_rgb"], axes=[2, 3], keepdims=0),
        _const("projection", projection),
        helper.make_node("MatMul", ["mean_rgb", "projection"], ["identity"]),
        helper.make_node("ReduceMean", ["portrait"], ["texture"], axes=[1], keepdims=1),
    ]
    graph = helper.make_graph(
        nodes, "tiny_identity_encoder",
        [helper.make_tensor_value_info("portrait", TensorProto.FLOAT, [1, 3, size, size])],
        [helper.make_tensor_value_info("identity", TensorProto.FLOAT, [1, dim]),
         helper.make_tensor_value_info("texture", TensorProto.FLOAT, [1, 1, size, size])],
    )
    return _model(graph)


def renderer(size: int = SIZE, dim: int = DIM) -> onnx.ModelProto:
    i64 = np.int64
    nodes = [
        _const("rgb_start", np.array([0], i64)), _const("rgb_end", np.array([3], i64)),
        _const("axis1", np.array([1], i64)),
        _const("m0_start", np.array([0], i64)), _const("m0_end", np.array([1], i64)),
        _const("m1_start", np.array([1], i64)), _const("m1_end", np.array([2], i64)),
        _const("colour_shape", np.array([1, 3, 1, 1], i64)), _const("frame_shape", np.array([-1, 1, 1, 1], i64)),
        _const("one", np.array(1.0, np.float32)), _const("half", np.array(0.5, np.float32)),
        _const("lo", np.array(-1.0, np.float32)), _const("hi", np.array(1.0, np.float32)),
        helper.make_node("Slice", ["identity", "rgb_start", "rgb_end", "axis1"], ["rgb"]),
        helper.make_node("Reshape", ["rgb", "colour_shape"], ["colour"]),
        helper.make_node("Slice", ["motion", "m0_start", "m0_end", "axis1"], ["m0"]),
        helper.make_node("Reshape", ["m0", "frame_shape"], ["m0_4d"]),
        helper.make_node("Slice", ["motion", "m1_start", "m1_end", "axis1"], ["m1"]),
        helper.make_node("Reshape", ["m1", "frame_shape"], ["m1_4d"]),
        helper.make_node("Add", ["m0_4d", "one"], ["scale"]),
        helper.make_node("Mul", ["colour", "scale"], ["tinted"]),
        helper.make_node("Mul", ["texture", "m1_4d"], ["blend"]),
        helper.make_node("Mul", ["blend", "half"], ["blend_half"]),
        helper.make_node("Add", ["tinted", "blend_half"], ["raw"]),
        helper.make_node("Clip", ["raw", "lo", "hi"], ["frames"]),
    ]
    graph = helper.make_graph(
        nodes, "tiny_renderer",
        [helper.make_tensor_value_info("identity", TensorProto.FLOAT, [1, dim]),
         helper.make_tensor_value_info("texture", TensorProto.FLOAT, [1, 1, size, size]),
         helper.make_tensor_value_info("motion", TensorProto.FLOAT, ["T", dim])],
        [helper.make_tensor_value_info("frames", TensorProto.FLOAT, ["T", 3, size, size])],
    )
    return _model(graph)


def _model(graph: onnx.GraphProto) -> onnx.ModelProto:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="avatarlab-tiny-renderer")
    onnx.checker.check_model(model, full_check=True)
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2] / "tests/fixtures/onnx-renderer")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, model in (("identity_encoder.onnx", identity_encoder()), ("renderer.onnx", renderer())):
        path = args.out / name
        onnx.save(model, path)
        print(f"{path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
