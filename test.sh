#!/usr/bin/env bash
# Every test AvatarLab has, on a fresh Debian machine with the .NET SDK: installs what it
# needs (apt packages, NuGet restore), builds the solution, runs the .NET tests (engine,
# command line), then the training smoke pipeline (Python unit tests, a few synthetic
# conversations, a few training steps, ONNX export, ONNX Runtime vs PyTorch parity, the
# sampler's cache and causality checks, evaluation). Ends with one "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")"
training/setup.sh
if ! command -v ffmpeg >/dev/null; then
  echo "test.sh: installing ffmpeg (audio decoding and MP4 export tests)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq ffmpeg >/dev/null
fi

logs=$(mktemp -d)
dotnet build AvatarLab.sln -c Release -nologo -v q
set +e
dotnet test AvatarLab.sln -c Release --no-build -nologo 2>&1 | tee "$logs/dotnet.log"
dotnet_rc=${PIPESTATUS[0]}
training/pipeline.sh --smoke 2>&1 | tee "$logs/smoke.log"
smoke_rc=${PIPESTATUS[0]}
set -e

# Counting must not trip errexit/pipefail when a pattern has no match.
set +eo pipefail
# dotnet test prints "Passed!  - Failed: 0, Passed: N, ..." per test assembly;
# unittest prints "Ran N tests" and "FAILED (failures=F, errors=E)" when something failed.
dn_passed=$(grep -oE "Passed: +[0-9]+" "$logs/dotnet.log" | awk '{s+=$2} END {print s+0}')
dn_failed=$(grep -oE "Failed: +[0-9]+" "$logs/dotnet.log" | awk '{s+=$2} END {print s+0}')
py_ran=$(grep -oE "^Ran [0-9]+ tests" "$logs/smoke.log" | awk '{s+=$2} END {print s+0}')
py_failed=$(grep -oE "(failures|errors)=[0-9]+" "$logs/smoke.log" | cut -d= -f2 | awk '{s+=$1} END {print s+0}')
echo "tests: $((dn_passed + py_ran - py_failed)) passed, $((dn_failed + py_failed)) failed"
[ "$dotnet_rc" -eq 0 ] && [ "$smoke_rc" -eq 0 ] && [ "$py_ran" -gt 0 ] && [ "$dn_passed" -gt 0 ]
