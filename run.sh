#!/usr/bin/env bash
# AvatarLab as it stands (the dashboard comes with issue #4): installs what it needs, builds
# the engine's command line and streams the example conversation (training/example) through
# the shipped reference model on the CPU (CUDA when usable), writing the avatar's video with
# its audio, the motion track, the telemetry and a summary to out/example/.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v ffmpeg >/dev/null; then
  echo "run.sh: installing ffmpeg (MP4 export)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq ffmpeg >/dev/null
fi
command -v dotnet >/dev/null || { echo "run.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
dotnet build src/AvatarLab.Cli -c Release -nologo -v q
dotnet src/AvatarLab.Cli/bin/Release/net10.0/avatarlab.dll run --model models/reference \
    --avatar-audio training/example/avatar.wav --user-audio training/example/user.wav \
    --user-motion training/example/user_motion.csv --out out/example "$@"
