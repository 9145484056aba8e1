"""Golden audio features and resampler outputs for the C# engine's parity tests.

    cd training && /usr/bin/python3 -m avatarlab_train.golden_features --out ../tests/fixtures/golden/features

Writes (all float32 .npy, so the tests need no Python):
- user_logmel80.npy, avatar_logmel80.npy: features.logmel of the first SECONDS s of
  training/example/user.wav and avatar.wav, read as int16 / 32768 (as demo.read_wav does);
- user_logmel40.npy: the same for user.wav with 40 mel bins (a package may declare another count);
- resample_<from>_<to>_in.npy / _out.npy: a short chirp plus noise and its resampling by the
  engine's documented windowed-sinc definition (docs/audio-features.md, "Resampling"),
  evaluated directly (no polyphase tables), to check the C# polyphase implementation;
- audio_encoder_mean8.onnx: a tiny audio_encoder.onnx (contract input `audio` [1, S], output
  `features` [1, S / 640, 8], each value the mean of 80 consecutive samples), and
  audio_encoder_badnames.onnx, the same with its output misnamed, for OnnxAudioEncoder's tests.
"""

from __future__ import annotations

import argparse
import wave
from math import gcd
from pathlib import Path

import numpy as np

from . import features

SECONDS = 10
EXAMPLE = Path(__file__).resolve().parents[1] / "example"

# The resampler's definition (src/AvatarLab.Inference/Audio/ResamplerKernel.cs).
ZERO_CROSSINGS = 64
CUTOFF_FRACTION = 0.95
KAISER_BETA = 10.06
RESAMPLE_CASES = ((44100, 16000), (8000, 16000), (48000, 16000))
RESAMPLE_SECONDS = 0.05


def read_wav_int16(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2, path
        return np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64) / 32768.0


def resample_reference(x: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """y[n] = sum_i x[i] g(n * from / to - i), g the Kaiser-windowed sinc; zeros outside x."""
    g_ = gcd(from_rate, to_rate)
    up, down = to_rate // g_, from_rate // g_
    cutoff = CUTOFF_FRACTION * 0.5 * min(from_rate, to_rate) / from_rate
    half_width = ZERO_CROSSINGS / (2 * cutoff)
    half = int(np.floor(half_width)) + 1
    n_out = (len(x) * up + down - 1) // down
    padded = np.concatenate([np.zeros(half), x.astype(np.float64), np.zeros(half + 1)])
    k = np.arange(-half + 1, half + 1)
    y = np.empty(n_out)
    for n in range(n_out):
        base, phase = divmod(n * down, up)
        tau = phase / up - k
        r = tau / half_width
        window = np.where(np.abs(r) < 1, np.i0(KAISER_BETA * np.sqrt(np.clip(1 - r * r, 0, None))) / np.i0(KAISER_BETA), 0.0)
        taps = 2 * cutoff * np.sinc(2 * cutoff * tau) * window
        y[n] = np.dot(padded[base + k + half], taps)
    return y.astype(np.float32)


def test_signal(rate: int, seconds: float, seed: int) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    chirp = 0.5 * np.sin(2 * np.pi * (200 * t + 0.5 * (rate / 2 - 200) / seconds * t * t))
    noise = 0.1 * np.random.default_rng(seed).standard_normal(len(t))
    return (chirp + noise).astype(np.float32)


def write_encoders(out: Path) -> None:
    import onnx
    from onnx import TensorProto, helper

    def model(output_name: str) -> onnx.ModelProto:
        shape = helper.make_tensor("shape", TensorProto.INT64, [4], [1, -1, 8, 80])
        graph = helper.make_graph(
            [helper.make_node("Reshape", ["audio", "shape"], ["frames"]),
             helper.make_node("ReduceMean", ["frames"], [output_name], axes=[3], keepdims=0)],
            "mean8",
            [helper.make_tensor_value_info("audio", TensorProto.FLOAT, [1, "S"])],
            [helper.make_tensor_value_info(output_name, TensorProto.FLOAT, [1, "F", 8])],
            initializer=[shape])
        m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="avatarlab golden_features")
        m.ir_version = 8
        onnx.checker.check_model(m)
        return m

    onnx.save(model("features"), out / "audio_encoder_mean8.onnx")
    onnx.save(model("feats"), out / "audio_encoder_badnames.onnx")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    samples = SECONDS * features.SAMPLE_RATE
    user = read_wav_int16(EXAMPLE / "user.wav")[:samples]
    avatar = read_wav_int16(EXAMPLE / "avatar.wav")[:samples]
    np.save(out / "user_logmel80.npy", features.logmel(user, 80))
    np.save(out / "avatar_logmel80.npy", features.logmel(avatar, 80))
    np.save(out / "user_logmel40.npy", features.logmel(user, 40))

    for i, (from_rate, to_rate) in enumerate(RESAMPLE_CASES):
        x = test_signal(from_rate, RESAMPLE_SECONDS, seed=i)
        np.save(out / f"resample_{from_rate}_{to_rate}_in.npy", x)
        np.save(out / f"resample_{from_rate}_{to_rate}_out.npy", resample_reference(x, from_rate, to_rate))

    write_encoders(out)
    for f in sorted(out.iterdir()):
        print(f"{f.name}: {f.stat().st_size} bytes")


if __name__ == "__main__":
    main()
