#!/usr/bin/env bash
# The AvatarLab dashboard on this machine, with the embedded defaults: the shipped reference
# model, the SQLite database and stored files in db/, CUDA when usable and the CPU otherwise.
# Installs what it needs (ffmpeg, Node.js/npm for the browser face tracker's files, NuGet
# packages), builds, and serves http://127.0.0.1:5080 (change with --urls or Urls in
# appsettings.json / appsettings.local.json). On a fresh database the example conversation
# is imported and run once. Create the first account in the browser: it becomes the admin.
set -euo pipefail
cd "$(dirname "$0")"
command -v dotnet >/dev/null || { echo "run.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
scripts/setup-web.sh
dotnet build src/AvatarLab.Server -c Release -nologo -v q
exec dotnet src/AvatarLab.Server/bin/Release/net10.0/avatarlab-server.dll "$@"
