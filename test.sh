#!/usr/bin/env bash
# Every test AvatarLab has, on a fresh Debian machine with the .NET SDK: installs what it
# needs (apt packages: ffmpeg, Node.js/npm, chromium, Python's torch/onnx; npm and NuGet
# packages), builds the solution, then runs
#   - the .NET tests: engine, command line, and the dashboard (integration tests against the
#     real server and a real SQLite file; browser tests driving Debian's chromium);
#   - the face tracker's tests (node, and headless chromium on real faces);
#   - the training smoke pipeline (Python unit tests, a few synthetic conversations, a few
#     training steps, ONNX export, ONNX Runtime vs PyTorch parity, cache and causality checks).
# Ends with one "tests: N passed, M failed" line.
set -euo pipefail
cd "$(dirname "$0")"
training/setup.sh
scripts/setup-web.sh --browser

logs=$(mktemp -d)
dotnet build AvatarLab.sln -c Release -nologo -v q
set +e
dotnet test AvatarLab.sln -c Release --no-build -nologo 2>&1 | tee "$logs/dotnet.log"
dotnet_rc=${PIPESTATUS[0]}
bash tests/facetrack/run.sh 2>&1 | tee "$logs/facetrack.log"
facetrack_rc=${PIPESTATUS[0]}
training/pipeline.sh --smoke 2>&1 | tee "$logs/smoke.log"
smoke_rc=${PIPESTATUS[0]}
set -e

# Counting must not trip errexit/pipefail when a pattern has no match.
set +eo pipefail
# dotnet test prints "Passed!  - Failed: 0, Passed: N, ..." per test assembly; the face tracker
# prints "facetrack: N passed, M failed"; unittest prints "Ran N tests" and
# "FAILED (failures=F, errors=E)" when something failed.
dn_passed=$(grep -oE "Passed: +[0-9]+" "$logs/dotnet.log" | awk '{s+=$2} END {print s+0}')
dn_failed=$(grep -oE "Failed: +[0-9]+" "$logs/dotnet.log" | awk '{s+=$2} END {print s+0}')
ft_passed=$(grep -oE "^facetrack: [0-9]+ passed" "$logs/facetrack.log" | awk '{s+=$2} END {print s+0}')
ft_failed=$(grep -oE "^facetrack: [0-9]+ passed, [0-9]+ failed" "$logs/facetrack.log" | awk '{s+=$4} END {print s+0}')
py_ran=$(grep -oE "^Ran [0-9]+ tests" "$logs/smoke.log" | awk '{s+=$2} END {print s+0}')
py_failed=$(grep -oE "(failures|errors)=[0-9]+" "$logs/smoke.log" | cut -d= -f2 | awk '{s+=$1} END {print s+0}')
echo "tests: $((dn_passed + ft_passed + py_ran - py_failed)) passed, $((dn_failed + ft_failed + py_failed)) failed"
[ "$dotnet_rc" -eq 0 ] && [ "$facetrack_rc" -eq 0 ] && [ "$smoke_rc" -eq 0 ] && [ "$py_ran" -gt 0 ] && [ "$dn_passed" -gt 0 ] && [ "$ft_passed" -gt 0 ]
