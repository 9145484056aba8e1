#!/usr/bin/env bash
# Measures the dashboard as a newcomer meets it, on a fresh database in a temporary folder:
#   1. start-up: process start -> /health answers 200 (database created and migrated, reference
#      model registered, worker up);
#   2. first-run example: process start -> the example conversation's session has succeeded;
#   3. upload-to-result: POST the example's WAVs and motion CSV as a new recording, queue a run,
#      -> the session has succeeded (frames, telemetry and MP4 stored).
# Uses the built server (./run.sh or dotnet build src/AvatarLab.Server -c Release first), curl
# and python3 for JSON. Prints one line per measure.
set -euo pipefail
cd "$(dirname "$0")/.."
DLL=src/AvatarLab.Server/bin/Release/net10.0/avatarlab-server.dll
[ -f "$DLL" ] || { echo "dashboard-timing: build the server first (dotnet build src/AvatarLab.Server -c Release)" >&2; exit 2; }
PORT=${PORT:-5097}
BASE=http://127.0.0.1:$PORT
WORK=$(mktemp -d /tmp/avatarlab-timing.XXXXXX)
JAR=$WORK/cookies
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
now() { date +%s.%N; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
wait_session() {  # id -> waits until Succeeded (fails on Failed/Cancelled)
  local status
  while :; do
    status=$(curl -sf -b "$JAR" "$BASE/api/sessions/$1" | json 'd.get("session", d)["status"]')
    case $status in
      Succeeded) return 0 ;;
      Failed|Cancelled) echo "dashboard-timing: session $1 ended $status" >&2; exit 1 ;;
    esac
    sleep 0.1
  done
}

START=$(now)
Storage__DataDirectory=$WORK/db Urls=$BASE Logging__LogLevel__Default=Warning dotnet "$DLL" >"$WORK/server.log" 2>&1 &
SERVER=$!
until curl -sf "$BASE/health" >/dev/null 2>&1; do
  kill -0 $SERVER 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.05
done
HEALTHY=$(now)

# Sign up through the form, as a browser does (antiforgery token from the page).
TOKEN=$(curl -sf -c "$JAR" -b "$JAR" "$BASE/account/register" | grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -sf -o /dev/null -c "$JAR" -b "$JAR" "$BASE/account/register" \
  --data-urlencode "_handler=register" --data-urlencode "__RequestVerificationToken=$TOKEN" \
  --data-urlencode "Input.DisplayName=Timing" --data-urlencode "Input.Email=timing@avatarlab.test" \
  --data-urlencode "Input.Password=Timing-2026" --data-urlencode "Input.ConfirmPassword=Timing-2026"
XSRF=$(curl -sf -c "$JAR" -b "$JAR" "$BASE/api/antiforgery" | json 'd["token"]')

EXAMPLE=$(curl -sf -b "$JAR" "$BASE/api/sessions" | json 'd[0]["id"]')
wait_session "$EXAMPLE"
EXAMPLE_DONE=$(now)

UPLOAD=$(now)
RECORDING=$(curl -sf -b "$JAR" -H "X-XSRF-TOKEN: $XSRF" -F name=timing \
  -F avatar_audio=@training/example/avatar.wav -F user_audio=@training/example/user.wav \
  -F user_motion=@training/example/user_motion.csv "$BASE/api/recordings" | json 'd["id"]')
MODEL=$(curl -sf -b "$JAR" "$BASE/api/models" | json 'd[0]["id"]')
SESSION=$(curl -sf -b "$JAR" -H "X-XSRF-TOKEN: $XSRF" -H 'Content-Type: application/json' \
  -d "{\"modelId\":\"$MODEL\",\"recordingId\":\"$RECORDING\",\"seed\":1}" "$BASE/api/sessions" | json 'd["id"]')
wait_session "$SESSION"
RESULT=$(now)
SECONDS_MEDIA=$(curl -sf -b "$JAR" "$BASE/api/sessions/$SESSION" | json 'd.get("session", d)["mediaSeconds"]')

python3 - "$START" "$HEALTHY" "$EXAMPLE_DONE" "$UPLOAD" "$RESULT" "$SECONDS_MEDIA" <<'PY'
import sys
start, healthy, example, upload, result, media = map(float, sys.argv[1:])
print(f"start-up (process start -> /health 200)            {healthy - start:6.1f} s")
print(f"first-run example (process start -> session done)  {example - start:6.1f} s")
print(f"upload-to-result ({media:.0f} s recording, API)           {result - upload:6.1f} s")
PY
