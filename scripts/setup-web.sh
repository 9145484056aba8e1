#!/usr/bin/env bash
# What the dashboard needs besides the .NET SDK, on a fresh Debian machine (run.sh and test.sh
# call this): ffmpeg (audio decoding, MP4 export, video probing), Node.js with npm (the face
# tracker's model files and the session page's plotly.js bundle come from npm packages and are
# served by the app, never a CDN), then `npm ci` and the copy of those files into
# src/AvatarLab.Server/wwwroot/lib/. This must run before `dotnet build` of the server: the
# static asset manifest is fixed at build time.
#   scripts/setup-web.sh [--browser]   --browser also installs Debian's chromium (tests)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ "${1:-}" != "--browser" ] || [ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-web: installing ${missing[*]} (apt-get)"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
server="$root/src/AvatarLab.Server"
# npm ci only when the lock changed since the last install (it takes a while and wipes node_modules).
stamp="$server/node_modules/.avatarlab-lock"
if [ ! -f "$stamp" ] || ! cmp -s "$server/package-lock.json" "$stamp"; then
  (cd "$server" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$server/package-lock.json" "$stamp"
fi
node "$server/scripts/copy-face-assets.mjs" >/dev/null
node "$server/scripts/copy-chart-assets.mjs" >/dev/null
