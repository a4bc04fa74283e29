#!/usr/bin/env bash
# Installs what is missing, builds cachet (release), and runs it in the foreground.
#   scripts/run.sh                                   # in front of the built-in demo origin
#   scripts/run.sh --origin http://127.0.0.1:9000 --listen 127.0.0.1:8080 [other cachet flags]
# With no --origin, cachet-demo-origin (a slow JSON API, 50 ms per answer; DEMO_DELAY_MS to
# change it) is started on a free loopback port and stopped again when cachet exits.
# The admin API keeps its default (127.0.0.1:9091, or --admin / CACHET_ADMIN); its URL is
# printed before cachet starts.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
dir=build-release
[ -f "$dir/build.ninja" ] || meson setup "$dir" -Dbuildtype=release >/dev/null
ninja -C "$dir" cachet tools/cachet-demo-origin >/dev/null

args=("$@")
has_origin=false
has_listen=false
admin=${CACHET_ADMIN:-127.0.0.1:9091}
previous=""
for a in "${args[@]}"; do
    case "$a" in
        --origin|--origin=*) has_origin=true ;;
        --listen|--listen=*) has_listen=true ;;
        --admin=*) admin=${a#--admin=} ;;
    esac
    [ "$previous" = "--admin" ] && admin=$a
    previous=$a
done
[ -n "${CACHET_ORIGIN:-}" ] && has_origin=true
$has_listen || [ -n "${CACHET_LISTEN:-}" ] || args+=(--listen 127.0.0.1:8080)

demo_pid=""
cleanup() { [ -n "$demo_pid" ] && kill "$demo_pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
if ! $has_origin; then
    ready=$(mktemp)
    "$dir/tools/cachet-demo-origin" --listen 127.0.0.1:0 --delay-ms "${DEMO_DELAY_MS:-50}" >"$ready" &
    demo_pid=$!
    for _ in $(seq 50); do grep -q "listening on" "$ready" && break; sleep 0.1; done
    origin=$(grep -o '127\.0\.0\.1:[0-9]*' "$ready" | head -1)
    rm -f "$ready"
    [ -n "$origin" ] || { echo "run.sh: the demo origin did not start" >&2; exit 1; }
    echo "run.sh: demo origin on http://$origin (try: curl -i http://127.0.0.1:8080/api/users/42, twice)"
    args+=(--origin "http://$origin")
fi
if [ "$admin" != off ]; then
    echo "run.sh: admin API on http://$admin (/healthz /readyz /metrics /stats; port 0: see the readiness line)"
fi
"$dir/cachet" "${args[@]}" &
cachet_pid=$!
trap 'kill -TERM $cachet_pid 2>/dev/null' INT TERM
wait $cachet_pid || true
