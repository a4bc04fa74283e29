#!/usr/bin/env bash
# Instructions per request of cachet's user-space code, counted by callgrind: stable on a
# noisy machine, so it judges a hot-path change where timings cannot.
#   scripts/callgrind.sh [TARGET] [CONNECTIONS] [SECONDS]
#   scripts/callgrind.sh /obj/1024/a 16 4        # a 1 KiB hit (the default)
#   scripts/callgrind.sh /nostore/1024/a 16 4    # pass-through: every request to the origin
# Builds build-prof (debugoptimized, assertions off), runs cachet --workers 1 under
# callgrind in front of cachet-bench-origin, warms the target once, loads it with wrk, and
# prints requests, total instructions and instructions per request. The profile stays in
# build-prof/callgrind.out for callgrind_annotate.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-/obj/1024/a}
connections=${2:-16}
seconds=${3:-4}

scripts/setup.sh valgrind wrk curl
dir=build-prof
[ -f "$dir/build.ninja" ] || meson setup "$dir" -Dbuildtype=debugoptimized -Db_ndebug=true >/dev/null
ninja -C "$dir" cachet tools/cachet-bench-origin >/dev/null

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

wait_for_line() {   # FILE -> the port on its "listening on HOST:PORT" line
    for _ in $(seq 200); do
        if grep -q "listening on" "$1"; then grep -o 'listening on [^ ]*' "$1" | grep -o '[0-9]*$'; return; fi
        sleep 0.1
    done
    echo "no readiness line in $1" >&2; exit 1
}

taskset -c 1 "$dir/tools/cachet-bench-origin" --listen 127.0.0.1:0 >"$work/origin.out" 2>&1 &
pids+=($!)
origin_port=$(wait_for_line "$work/origin.out")
taskset -c 0 valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" \
    "$dir/cachet" --origin "http://127.0.0.1:$origin_port" --listen 127.0.0.1:0 --workers 1 \
    --admin 127.0.0.1:0 \
    >"$work/cachet.out" 2>"$work/valgrind.err" &
cachet_pid=$!
pids+=($cachet_pid)
port=$(wait_for_line "$work/cachet.out")
curl -s -o /dev/null --max-time 10 "http://127.0.0.1:$port$target"
# Count from here: start-up (symbol binding, allocator set-up) and the warm-up miss would
# otherwise weigh on the figure by how many requests wrk managed, which varies with load.
callgrind_control --zero "$cachet_pid" >/dev/null
timeout $((seconds + 30)) taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" "http://127.0.0.1:$port$target" >"$work/wrk.out"
kill -TERM "$cachet_pid"
wait "$cachet_pid" || true
requests=$(grep -o '^ *[0-9]* requests' "$work/wrk.out" | awk '{print $1 + 1}')
instructions=$(grep -o 'summary: [0-9]*' "$dir/callgrind.out" | awk '{print $2}')
echo "target=$target requests=$requests instructions=$instructions per_request=$((instructions / requests))"
