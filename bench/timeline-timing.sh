#!/usr/bin/env bash
# The session timeline at scale (issue 5's targets: a 10-minute session opens with every chart
# interactive within 2 s; scrubbing redraws the schedule and attention views within 100 ms).
# On a fresh database in a temporary folder: makes a recording of SECONDS (default 600, the
# example conversation repeated), runs it with the reference model, then opens its session
# page in Chromium (bench/timeline-timing.mjs): open -> all charts plotted, by the page's address
# once cold (a new browser profile, the server just started) and OPENS times warm, and OPENS
# times from the sessions list by a click (in the app: plotly.js loaded by the open, then again
# from the same page); and SCRUBS random seeks with the slider -> the block views drawn for the
# new frame. Prints each measure (median and slowest of the OPENS) and its ratio to the target.
# Uses the built server (dotnet build src/AvatarLab.Server -c Release), Chromium, node with
# tests/facetrack's playwright-core (npm ci there), curl and python3.
# KEEP=<folder> keeps the database and the session there; a later run with the same KEEP
# measures the same session again on a freshly started server (cold and warm as before).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_LONG=${SECONDS_LONG:-600}
SCRUBS=${SCRUBS:-40}
OPENS=${OPENS:-5}
[ -d tests/facetrack/node_modules/playwright-core ] || (cd tests/facetrack && npm ci --silent)
. bench/server-lib.sh

if [ "$REUSED" = 1 ] && [ -f "$WORK/session" ]; then
  read -r SESSION FRAMES RUN_START RUN_END < "$WORK/session"
else
  python3 bench/long-recording.py "$WORK/long" "$SECONDS_LONG"
  RECORDING=$(curl -sf -b "$JAR" -H "X-XSRF-TOKEN: $XSRF" -F name=long \
    -F avatar_audio=@"$WORK/long/avatar.wav" -F user_audio=@"$WORK/long/user.wav" \
    -F user_motion=@"$WORK/long/user_motion.csv" "$BASE/api/recordings" | json 'd["id"]')
  MODEL=$(curl -sf -b "$JAR" "$BASE/api/models" | json 'd[0]["id"]')
  RUN_START=$(now)
  SESSION=$(curl -sf -b "$JAR" -H "X-XSRF-TOKEN: $XSRF" -H 'Content-Type: application/json' \
    -d "{\"modelId\":\"$MODEL\",\"recordingId\":\"$RECORDING\",\"seed\":1}" "$BASE/api/sessions" | json 'd["id"]')
  wait_session "$SESSION"
  RUN_END=$(now)
  FRAMES=$(curl -sf -b "$JAR" "$BASE/api/sessions/$SESSION" | json 'd.get("session", d)["frames"]')
  echo "$SESSION $FRAMES $RUN_START $RUN_END" > "$WORK/session"
fi

node bench/timeline-timing.mjs "$BASE" "$SESSION" timing@avatarlab.test Timing-2026 "$SCRUBS" "$OPENS" > "$WORK/timing.json" \
  || { echo "timeline-timing: the browser measurement failed; the server's log ends:" >&2; tail -30 "$WORK/server.log" >&2; exit 1; }
python3 - "$WORK/timing.json" "$FRAMES" "$RUN_START" "$RUN_END" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
frames, run = int(sys.argv[2]), float(sys.argv[4]) - float(sys.argv[3])
s = sorted(d["scrubMs"])
def percentile(q):  # linear between closest ranks, as numpy's default
    pos = q / 100 * (len(s) - 1)
    lo = int(pos)
    return s[lo] + (pos - lo) * (s[min(lo + 1, len(s) - 1)] - s[lo])
print(f"session: {frames} frames ({frames / 25 / 60:.1f} min), generated in {run:.0f} s")
print(f"open -> all charts interactive, by address, cold            {d['coldOpenMs'] / 1000:5.2f} s   ratio to the 2 s target {d['coldOpenMs'] / 2000:5.2f}x")
def opens(label, key):
    v = sorted(d[key])
    m = v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2
    print(f"open -> all charts interactive, {label}  median {m / 1000:5.2f} s  slowest {v[-1] / 1000:5.2f} s ({len(v)} opens)"
          f"   ratio to the 2 s target {m / 2000:5.2f}x, slowest {v[-1] / 2000:5.2f}x")
opens("by address, warm           ", "warmOpenMs")
opens("from the list (app)        ", "appOpenMs")
opens("from the list, again       ", "appOpenAgainMs")
print(f"open -> every block's views in the browser (preload)  {d['preloadedMs'] / 1000:6.2f} s")
print(f"scrub -> block views redrawn ({len(s)} seeks)  p50 {percentile(50):5.0f} ms  p95 {percentile(95):5.0f} ms  max {s[-1]:5.0f} ms"
      f"   p95 ratio to the 100 ms target {percentile(95) / 100:5.2f}x")
PY
