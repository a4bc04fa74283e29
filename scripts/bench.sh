#!/usr/bin/env bash
# Benchmarks cachet against nginx, HAProxy and Varnish as caches in front of one origin, and
# against the limit server (the floor for answering a hit on one core). Installs what is
# missing, builds, runs bench/driver.py. `scripts/bench.sh replay` runs the replay family
# instead (bench/replay.py: cachet as a load-test stand-in against WireMock, mountebank and
# Mockoon), `scripts/bench.sh tls` the TLS family (bench/tls.py: cachet, nginx and HAProxy over
# TLS 1.3 in front of an HTTPS origin). See docs/benchmarks.md; `scripts/bench.sh --help`.
set -euo pipefail

usage() {
    cat <<'HELP'
usage: [VAR=value ...] scripts/bench.sh [replay|tls]

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

scripts/bench.sh replay: cachet as a load-test stand-in. Records 10,000 1 KiB JSON responses
through cachet --mode record, loads the same responses into each stand-in in its own format,
checks every answer byte for byte, warms each with wrk (WireMock longer), then runs
interleaved as above; also times saving and loading a 1 GiB snapshot. Installs wrk and
openjdk-17-jre-headless when missing (scripts/setup.sh), and WireMock, mountebank and Mockoon
CLI from npm into bench/.npm/ (ignored by git). A peer that cannot be installed, started or
verified is reported in the summary, not timed.

Replay scenarios: r1     one recorded 1 KiB JSON response, one path, 64 connections
                  r10k   10,000 recorded paths, requested uniformly (bench/lua/paths.lua), 64
                  lat50  one path, --replay-latency fixed:50ms, 1,000 connections
                         (cachet-replay and WireMock with a fixed 50 ms stub delay only)

Replay environment (besides DURATION, REPS, SCENARIOS, SERVER_CPU, CLIENT_CPU, SETTLE,
QUIET_WAIT, QUIET_PCT, WRK_THREADS, BUILD_DIR, RESULTS_DIR, KEEP_TMP above):
  PEERS="cachet-replay cachet-hit wiremock mountebank mockoon limit"
  WARM_SECONDS=3       wrk seconds per scenario before timing each peer (JIT warm-up)
  JVM_WARM_SECONDS=25  the same for WireMock, whose JIT needs far longer
  VERIFY_SECONDS=60    at most this long checking each instance's answers (every 10th path
                       first): the slowest mock servers answer 10,000 stubs at ~30 req/s
  SNAPSHOT_BENCH=1     0 skips the snapshot save/load timing (~10 s, a 1.2 GiB temp file)
  SNAPSHOT_RECORDS=1048576   records of 1 KiB for it (2^20: 1 GiB of bodies)

Replay smoke test (about 5 minutes):
  DURATION=2 REPS=1 SNAPSHOT_BENCH=0 VERIFY_SECONDS=15 scripts/bench.sh replay

scripts/bench.sh tls: cachet, nginx and HAProxy as caches whose listeners speak TLS 1.3, each
with one worker/thread on the server core, the same ECDSA P-256 certificate (a throw-away CA
and a server certificate for localhost and 127.0.0.1, made with the openssl CLI in the run's
temp dir), the same key-exchange groups and session tickets on, in front of one HTTPS origin:
HAProxy terminating TLS in front of the bench origin, both on the client core. Checks with
openssl s_client what each listener negotiates (protocol, ciphersuite, group, verification,
tickets, resumption), warms each cache over HTTPS, then runs interleaved as above. Installs
wrk, nginx, haproxy and openssl when missing (scripts/setup.sh); builds cachet and the bench
origin.

TLS scenarios: ta   hits over TLS: one 1 KiB object, 64 keep-alive connections, wrk over
                    https://; cachet-http runs it over http:// (scenario a): the summary
                    divides every peer's core-0 µs/req by that (target: cachet ≤ 1.3×)
               tn   new connections, full handshakes: HANDSHAKE_CLIENTS concurrent
                    `openssl s_time -new` clients, one 1 KiB hit per connection
               tnr  the same resumed from a session ticket (`openssl s_time -reuse`)
               tm   misses to the HTTPS origin: 1 KiB no-store over 64 connections, every
                    request through the peer's kept-alive pool of verified TLS connections
Per run, besides the figures above: for tn and tnr connections/s, core-0 µs per connection,
full and resumed handshakes (s_time's mark per connection) and bytes read per connection; for
tm the TLS connections each peer opened to the origin (the terminator's counter).

TLS environment (besides DURATION, REPS, SCENARIOS, SERVER_CPU, CLIENT_CPU, SETTLE,
QUIET_WAIT, QUIET_PCT, WRK_THREADS, CACHET_CACHE_SIZE, WARM_CONNECTIONS, BUILD_DIR,
RESULTS_DIR, KEEP_TMP above):
  PEERS="cachet nginx haproxy cachet-http"   (cachet-http serves ta only)
  SCENARIOS="ta tn tnr tm"
  HANDSHAKE_CLIENTS=4  concurrent openssl s_time processes in tn and tnr (each makes one
                       connection at a time, all on CLIENT_CPU)
  POOL_WARM_SECONDS=2  wrk seconds of tm per peer before timing, to fill its origin pool

TLS smoke test (about half a minute per scenario once built):
  DURATION=2 REPS=1 SCENARIOS=ta scripts/bench.sh tls
Only the reference peers:  PEERS="nginx haproxy" scripts/bench.sh tls
HELP
}

family=default
case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    replay) family=replay ;;
    tls) family=tls ;;
    "") ;;
    *) echo "bench.sh: the only argument is 'replay' or 'tls'; the rest is environment" \
            "variables (see --help)" >&2; exit 2 ;;
esac
[ $# -le 1 ] || { echo "bench.sh: one argument at most (see --help)" >&2; exit 2; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export PYTHONDONTWRITEBYTECODE=1

build_dir=${BUILD_DIR:-build-release}
export BUILD_DIR=$build_dir

# Configures the build directory if needed and builds the given ninja targets; build output
# goes to stderr, stdout carries only the summary.
build() {
    if [ ! -f "$build_dir/build.ninja" ]; then
        meson setup "$build_dir" -Dbuildtype=release >&2
    fi
    ninja -C "$build_dir" "$@" >&2
}

# The replay family's stand-ins, from npm, into bench/.npm/ (ignored by git), pinned to the
# versions the figures in docs/benchmarks.md were measured with. Only what is missing is
# installed; a failure is reported here and by the driver (those peers are not timed).
npm_peers=(wiremock@3.13.2 @mbtest/mountebank@2.9.2 @mockoon/cli@9.9.0)
install_npm_peers() {
    local dir=$root/bench/.npm
    if [ -f "$dir/node_modules/wiremock/package.json" ] &&
       [ -f "$dir/node_modules/@mbtest/mountebank/package.json" ] &&
       [ -f "$dir/node_modules/@mockoon/cli/package.json" ]; then
        return 0
    fi
    mkdir -p "$dir"
    echo "bench: installing ${npm_peers[*]} into $dir" >&2
    timeout 600 npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
        "${npm_peers[@]}" >&2 ||
        echo "bench: npm install failed; the peers it did not install are reported, not timed" >&2
}

if [ "$family" = replay ]; then
    packages=(wrk openjdk-17-jre-headless python3)
    command -v npm >/dev/null || packages+=(nodejs npm)
    "$root/scripts/setup.sh" "${packages[@]}" >&2
    python3 "$root/bench/replay.py" --check-config
    install_npm_peers
    build cachet tools/cachet-limit-server bench/cachet-snapshot-bench
    # lat50 holds 1,000 connections open: wrk and each server need more descriptors than a
    # login shell's usual 1,024. Raised here for the bench's processes only.
    hard=$(ulimit -Hn)
    if [ "$hard" != unlimited ] && [ "$hard" -lt 4096 ]; then
        echo "bench: the open files hard limit is $hard; lat50 needs about 1,100" \
             "per process" >&2
    fi
    ulimit -Sn "$( [ "$hard" = unlimited ] && echo 65536 || echo "$hard" )"
    exec python3 "$root/bench/replay.py"
fi

if [ "$family" = tls ]; then
    "$root/scripts/setup.sh" wrk nginx haproxy openssl python3 >&2
    python3 "$root/bench/tls.py" --check-config
    # cachet is built only when one of its two peers runs, as in the default family.
    targets=(tools/cachet-bench-origin)
    case " ${PEERS:-cachet} " in
        *" cachet "* | *" cachet-http "*) targets=(cachet "${targets[@]}") ;;
    esac
    build "${targets[@]}"
    exec python3 "$root/bench/tls.py"
fi

"$root/scripts/setup.sh" wrk nginx haproxy varnish gnuplot-nox python3 >&2

# A mistyped variable fails here, before anything is built.
python3 "$root/bench/driver.py" --check-config

# meson 1.0 names tool targets by their path; cachet itself is built only when it is a peer,
# so the reference peers can be measured while cachet does not build.
targets=(tools/cachet-limit-server tools/cachet-bench-origin)
case " ${PEERS:-cachet} " in *" cachet "*) targets=(cachet "${targets[@]}") ;; esac
build "${targets[@]}"

# The driver supervises every process it starts and stops them by PID on exit, on Ctrl-C
# and on SIGTERM; nothing is left for a shell trap to do, so it replaces this shell.
exec python3 "$root/bench/driver.py"
