#!/usr/bin/env bash
# How fast cachet starts and how much memory it holds idle:
#   scripts/startup.sh [RUNS] [CACHE_SIZE]      (defaults: 20 runs, 256m)
# Each run starts build-release/cachet (port 0, the bench origin behind it) and times the
# interval from exec to the readiness line on stdout; the median, min and max are printed.
# After the last run cachet is left idle for a second and its resident memory read from
# /proc (VmRSS). Everything started is stopped by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
cache_size=${2:-256m}
dir=build-release
[ -f "$dir/build.ninja" ] || meson setup "$dir" -Dbuildtype=release >/dev/null
ninja -C "$dir" cachet tools/cachet-bench-origin >/dev/null

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

"$dir/tools/cachet-bench-origin" --listen 127.0.0.1:0 >"$work/origin.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "listening on" "$work/origin.out" && break; sleep 0.05; done
origin_port=$(grep -o 'listening on [^ ]*' "$work/origin.out" | grep -o '[0-9]*$')

python3 - "$dir/cachet" "$origin_port" "$runs" "$cache_size" <<'PY'
import os, statistics, subprocess, sys, time
binary, origin_port, runs, cache_size = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
args = [binary, "--origin", f"http://127.0.0.1:{origin_port}", "--listen", "127.0.0.1:0",
        "--cache-size", cache_size]
if "--admin " in subprocess.run([binary, "--help"], capture_output=True, text=True).stdout:
    args += ["--admin", "127.0.0.1:0"]  # a free port, so a running cachet does not collide
times, rss_kib = [], None
for i in range(runs):
    started = time.monotonic()
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = p.stdout.readline()
        if "listening on" not in line:
            sys.exit(f"no readiness line: {line!r}")
        times.append((time.monotonic() - started) * 1000)
        if i == runs - 1:
            time.sleep(1)
            for row in open(f"/proc/{p.pid}/status"):
                if row.startswith("VmRSS:"):
                    rss_kib = int(row.split()[1])
    finally:
        p.terminate()
        p.wait(timeout=10)
print(f"start to ready ({runs} runs, --cache-size {cache_size}): median {statistics.median(times):.1f} ms, "
      f"min {min(times):.1f} ms, max {max(times):.1f} ms")
print(f"idle RSS after start: {rss_kib / 1024:.1f} MiB")
PY
