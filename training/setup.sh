#!/usr/bin/env bash
# Installs what the training pipeline needs on a fresh Debian machine, only what is missing:
# Debian's Python 3 with PyTorch, ONNX, NumPy, SciPy; espeak-ng for the synthetic speech;
# OpenBLAS (without it NumPy and PyTorch fall back to the reference BLAS, about 5x slower
# here); the .NET SDK must already be present (it runs the ONNX Runtime check).
set -euo pipefail

PY=/usr/bin/python3
missing=()
[ -x "$PY" ] || missing+=(python3)
if [ -x "$PY" ]; then
  "$PY" -c "import torch" 2>/dev/null || missing+=(python3-torch)
  "$PY" -c "import onnx" 2>/dev/null || missing+=(python3-onnx)
  "$PY" -c "import numpy" 2>/dev/null || missing+=(python3-numpy)
  "$PY" -c "import scipy" 2>/dev/null || missing+=(python3-scipy)
fi
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
compgen -G "/usr/lib/*/openblas-pthread/libblas.so.3" >/dev/null || missing+=(libopenblas0-pthread)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "setup: the .NET SDK (dotnet) is required: see the README" >&2; exit 1; }
