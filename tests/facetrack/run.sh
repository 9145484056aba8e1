#!/usr/bin/env bash
# Face-tracking tests (src/AvatarLab.Server/wwwroot/js/facetrack):
#   mapping.test.mjs  node:test unit tests of the pure mapping (landmarks -> face-params/1),
#                     smoothing, gap filling and CSV (no browser)
#   browser.test.mjs  headless Chromium tracks test videos made with ffmpeg from real faces
# Installs what they need first: npm ci in src/AvatarLab.Server (human + tfjs-backend-wasm) and
# here (playwright-core), copy-face-assets.mjs into wwwroot/lib/human/, and Debian's chromium
# and ffmpeg when missing (apt-get; needs root). Ends with one line:
#   facetrack: N passed, M failed
# and exits non-zero when anything failed.
#
#   bash tests/facetrack/run.sh
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
server="$root/src/AvatarLab.Server"

setup_failed() {
  echo "facetrack: setup failed: $1" >&2
  echo "facetrack: 0 passed, 1 failed"
  exit 1
}

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
if [ ${#missing[@]} -gt 0 ]; then
  echo "facetrack: installing ${missing[*]} (apt-get)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; } \
    || setup_failed "apt-get install ${missing[*]}"
fi

(cd "$server" && npm ci --no-audit --no-fund --loglevel=error) || setup_failed "npm ci in src/AvatarLab.Server"
node "$server/scripts/copy-face-assets.mjs" || setup_failed "copy-face-assets.mjs"
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || setup_failed "npm ci in tests/facetrack"

tap="$(mktemp)"
trap 'rm -f "$tap"' EXIT
cd "$here"
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  mapping.test.mjs browser.test.mjs
status=$?

passed=$(awk '/^# pass /{s+=$3} END{print s+0}' "$tap")
failed=$(awk '/^# (fail|cancelled) /{s+=$3} END{print s+0}' "$tap")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "facetrack: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
