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
. bench/server-lib.sh

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
