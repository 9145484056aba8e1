#!/usr/bin/env bash
# Every test AvatarLab has, on a fresh Debian machine: installs what it needs, then runs the
# training smoke pipeline (unit tests, a few synthetic conversations, a few training steps,
# ONNX export, ONNX Runtime vs PyTorch parity, sampler cache and causality checks, evaluation).
set -euo pipefail
cd "$(dirname "$0")"
training/pipeline.sh --smoke
