#!/usr/bin/env bash
# Benchmarks cachet against nginx, HAProxy and Varnish as caches in front of one origin, and
# against the limit server (the floor for answering a hit on one core). Installs what is
# missing, builds, runs bench/driver.py. See docs/benchmarks.md; `scripts/bench.sh --help`.
set -euo pipefail

usage() {
    cat <<'HELP'
usage: [VAR=value ...] scripts/bench.sh

Installs wrk, nginx, haproxy, varnish and gnuplot-nox when missing (scripts/setup.sh), builds
cachet and the two reference servers in build-release/ (meson release build), then starts the
bench origin and each peer once, warms each cache (a second pass must reach the origin zero
times), and runs every scenario against every peer in turn, REPS times. Servers are pinned to
core 0, wrk and the origin to core 1. Everything it starts is stopped by PID on exit or Ctrl-C.

Scenarios: a  one 1 KiB object, 64 connections      b  one 64 KiB object, 64 connections
           c  one 1 KiB object, 256 connections     d  10,000 keys x 1 KiB, Zipf(0.99), 64 conns
           p  as a, 16 requests pipelined per write m  pass-through no-store (origin every time)
           d1m, u1m  1,000,000 keys, Zipf and uniform (only with BIG=1; warm-up takes minutes)

Per run: req/s, p50/p99 latency, server-core busy µs per response (the robust figure on a
small noisy machine), the same from the peer's own process CPU, client-core CPU %, errors,
origin requests during the run; RSS after scenario d. Medians over REPS go to
bench/results/<timestamp>/summary.md, every run to runs.tsv, µs/response to chart.png.

Environment (defaults in brackets):
  DURATION=10          seconds per run
  REPS=3               repetitions; each reported figure is the median
  PEERS="cachet nginx haproxy varnish limit"   which peers, in this order
  SCENARIOS="a b c d p m"                      a subset of scenarios
  BIG=0                1 adds d1m and u1m (and sizes every cache for 1,000,000 keys)
  BUILD_DIR=build-release   meson build directory (created with -Dbuildtype=release)
  RESULTS_DIR=bench/results
  SERVER_CPU=0 CLIENT_CPU=1   cores for the servers, and for wrk + origin + driver
  SETTLE=0.5           idle seconds before each run (background load is measured then)
  QUIET_WAIT=0 QUIET_PCT=15   on a shared machine: wait up to QUIET_WAIT s before each run
                       for the server core's background load to fall to QUIET_PCT %
  WRK_THREADS=1        wrk threads, all on CLIENT_CPU
  CACHET_CACHE_SIZE=512m (2g with BIG=1)
  WARM_CONNECTIONS=8 WARM_PIPELINE=1 (8 with BIG=1)   warm-up client concurrency
  KEEP_TMP=0           1 keeps the temp dir (nginx cache files, Varnish work dir)

Smoke test (well under 3 minutes):  DURATION=2 REPS=1 scripts/bench.sh
Only the reference peers:           PEERS="limit nginx haproxy varnish" scripts/bench.sh
HELP
}

case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    "") ;;
    *) echo "bench.sh: takes no arguments, only environment variables (see --help)" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export PYTHONDONTWRITEBYTECODE=1

"$root/scripts/setup.sh" wrk nginx haproxy varnish gnuplot-nox python3 >&2

# A mistyped variable fails here, before anything is built.
python3 "$root/bench/driver.py" --check-config

build_dir=${BUILD_DIR:-build-release}
# Build output goes to stderr: stdout carries only the summary.
if [ ! -f "$build_dir/build.ninja" ]; then
    meson setup "$build_dir" -Dbuildtype=release >&2
fi
# meson 1.0 names tool targets by their path; cachet itself is built only when it is a peer,
# so the reference peers can be measured while cachet does not build.
targets=(tools/cachet-limit-server tools/cachet-bench-origin)
case " ${PEERS:-cachet} " in *" cachet "*) targets=(cachet "${targets[@]}") ;; esac
ninja -C "$build_dir" "${targets[@]}" >&2

# The driver supervises every process it starts and stops them by PID on exit, on Ctrl-C
# and on SIGTERM; nothing is left for a shell trap to do, so it replaces this shell.
export BUILD_DIR=$build_dir
exec python3 "$root/bench/driver.py"
