# Sourced by the dashboard benchmarks: starts the built server on a fresh database in a
# temporary folder (START, HEALTHY: timestamps; SERVER: its pid; WORK: the folder, removed on
# exit), signs up through the form as a browser does, and gets an antiforgery token (JAR: the
# cookie jar, XSRF: the token). Needs curl and python3.
# KEEP=<folder> uses that folder instead and keeps it: when it already holds a database, the
# server starts on it and nobody signs up (REUSED=1), so that a benchmark can measure again
# without making its data again.
DLL=src/AvatarLab.Server/bin/Release/net10.0/avatarlab-server.dll
[ -f "$DLL" ] || { echo "${0##*/}: build the server first (dotnet build src/AvatarLab.Server -c Release)" >&2; exit 2; }
PORT=${PORT:-5097}
BASE=http://127.0.0.1:$PORT
REUSED=0
if [ -n "${KEEP:-}" ]; then
  WORK=$(mkdir -p "$KEEP" && cd "$KEEP" && pwd)
  [ ! -f "$WORK/db/avatarlab.db" ] || REUSED=1
  trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
else
  WORK=$(mktemp -d /tmp/avatarlab-timing.XXXXXX)
  trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
fi
JAR=$WORK/cookies
now() { date +%s.%N; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
wait_session() {  # id -> waits until Succeeded (fails on Failed/Cancelled)
  local status
  while :; do
    status=$(curl -sf -b "$JAR" "$BASE/api/sessions/$1" | json 'd.get("session", d)["status"]')
    case $status in
      Succeeded) return 0 ;;
      Failed|Cancelled) echo "${0##*/}: session $1 ended $status" >&2; exit 1 ;;
    esac
    sleep 0.1
  done
}

START=$(now)
Storage__DataDirectory=$WORK/db Urls=$BASE Logging__LogLevel__Default=Warning env Logging__LogLevel__AvatarLab.Server.Timeline=Information dotnet "$DLL" >"$WORK/server.log" 2>&1 &
SERVER=$!
until curl -sf "$BASE/health" >/dev/null 2>&1; do
  kill -0 $SERVER 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.05
done
HEALTHY=$(now)

[ "$REUSED" = 1 ] && return 0
# Sign up through the form, as a browser does (antiforgery token from the page).
TOKEN=$(curl -sf -c "$JAR" -b "$JAR" "$BASE/account/register" | grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -sf -o /dev/null -c "$JAR" -b "$JAR" "$BASE/account/register" \
  --data-urlencode "_handler=register" --data-urlencode "__RequestVerificationToken=$TOKEN" \
  --data-urlencode "Input.DisplayName=Timing" --data-urlencode "Input.Email=timing@avatarlab.test" \
  --data-urlencode "Input.Password=Timing-2026" --data-urlencode "Input.ConfirmPassword=Timing-2026"
XSRF=$(curl -sf -c "$JAR" -b "$JAR" "$BASE/api/antiforgery" | json 'd["token"]')

