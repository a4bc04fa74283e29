#!/usr/bin/env python3
"""The benchmark driver behind scripts/bench.sh (which installs, builds, then runs this).

Starts the bench origin and each peer once, warms every cache and proves it warm, then runs
every scenario against every peer in turn, repetition after repetition (interleaved, so drift
hits all peers alike), and writes bench/results/<timestamp>/{summary.md,runs.tsv,chart.png}.
Settings come from the environment; `scripts/bench.sh --help` lists them.

Invariants: servers run pinned to SERVER_CPU, wrk and the origin to CLIENT_CPU (and so does
this driver, so its own work never lands on the measured core). Every process this starts goes
through the Supervisor and is stopped by PID on exit, error, Ctrl-C or SIGTERM; every wrk run
is bounded by `timeout`. Plain standard library only.
"""

import sys

sys.dont_write_bytecode = True   # keep the source tree free of __pycache__

import datetime
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import report
import warmup
from measure import US_PER_TICK, core_ticks, memory_kib, parse_wrk, process_cpu_ticks
from peers import PEER_TYPES, Peer, Setup
from scenarios import Scenario, all_scenarios
from supervisor import StartError, Supervisor, wait_for_line

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


@dataclass(frozen=True)
class Config:
    duration: int
    reps: int
    peers: list[str]
    scenarios: list[Scenario]
    big: bool
    build_dir: Path
    results_root: Path
    server_cpu: int
    client_cpu: int
    settle_s: float
    quiet_pct: float
    quiet_wait_s: float
    wrk_threads: int
    cachet_cache_size: str
    warm_connections: int
    warm_pipeline: int
    keep_tmp: bool


class ConfigError(Exception):
    pass


def int_env(name: str, default: int, low: int, high: int) -> int:
    text = os.environ.get(name, "").strip() or str(default)
    if not text.isdigit() or not low <= int(text) <= high:
        raise ConfigError(f"{name}: expected a whole number from {low} to {high}, got {text!r}")
    return int(text)


def float_env(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip() or str(default)
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        raise ConfigError(f"{name}: expected a number from 0 to 3600 like {default}, got {text!r}")
    return value


def config_from_env(peer_types: dict = PEER_TYPES,
                    default_peers: str = "cachet nginx haproxy varnish limit",
                    scenarios: list[Scenario] | None = None) -> Config:
    """The settings of a run from the environment. The default family's peers and scenarios
    unless a family (bench/replay.py) passes its own."""
    big = os.environ.get("BIG", "0") not in ("", "0")
    peers = os.environ.get("PEERS", default_peers).split()
    unknown = [p for p in peers if p not in peer_types]
    if unknown or not peers:
        raise ConfigError(f"PEERS: unknown peer(s) {' '.join(unknown) or '(none given)'}; "
                          f"choose from: {' '.join(peer_types)}")
    family_scenarios = scenarios is not None   # BIG's d1m and u1m are the default family's
    scenarios = scenarios if family_scenarios else all_scenarios(big)
    wanted = os.environ.get("SCENARIOS", "").split()
    if wanted:
        known = {s.name for s in scenarios}
        if set(wanted) - known:
            raise ConfigError(f"SCENARIOS: unknown {' '.join(sorted(set(wanted) - known))}; "
                              f"choose from: {' '.join(s.name for s in scenarios)}"
                              + ("" if big or family_scenarios else
                                 " (d1m and u1m need BIG=1)"))
        scenarios = [s for s in scenarios if s.name in wanted]
    settle_s = float_env("SETTLE", 0.5)
    build_dir = Path(os.environ.get("BUILD_DIR", "build-release"))
    return Config(
        duration=int_env("DURATION", 10, 1, 3600),
        reps=int_env("REPS", 3, 1, 100),
        peers=list(dict.fromkeys(peers)),
        scenarios=scenarios,
        big=big,
        build_dir=build_dir if build_dir.is_absolute() else ROOT / build_dir,
        results_root=Path(os.environ.get("RESULTS_DIR", str(BENCH_DIR / "results"))),
        server_cpu=int_env("SERVER_CPU", 0, 0, 4095),
        client_cpu=int_env("CLIENT_CPU", 1, 0, 4095),
        settle_s=settle_s,
        quiet_pct=float_env("QUIET_PCT", 15.0),
        quiet_wait_s=float_env("QUIET_WAIT", 0.0),
        wrk_threads=int_env("WRK_THREADS", 1, 1, 64),
        cachet_cache_size=os.environ.get("CACHET_CACHE_SIZE", "2g" if big else "512m"),
        warm_connections=int_env("WARM_CONNECTIONS", 8, 1, 256),
        # Pipelining only speeds the client up; 2 x 1,000,000 keys one by one take too long.
        warm_pipeline=int_env("WARM_PIPELINE", 8 if big else 1, 1, 256),
        keep_tmp=os.environ.get("KEEP_TMP", "0") not in ("", "0"),
    )


def run_bounded(argv: list[str], limit_s: float) -> subprocess.CompletedProcess:
    """Runs argv (already wrapped in `timeout`), and if this driver is interrupted meanwhile,
    stops it by PID before passing the interruption on."""
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        out, _ = process.communicate(timeout=limit_s)
    except BaseException:
        process.terminate()   # `timeout` passes SIGTERM on to wrk
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        raise
    return subprocess.CompletedProcess(argv, process.returncode, out, None)


def background_load(config: Config) -> float:
    """Busy % of the server core with nothing under test, over SETTLE seconds just before a
    run. With QUIET_WAIT > 0, waits up to that long for it to fall to QUIET_PCT or below (other
    tenants of a shared machine); the run goes ahead either way, and the figure is reported."""
    deadline = time.monotonic() + config.quiet_wait_s
    while True:
        start = core_ticks(config.server_cpu)
        time.sleep(config.settle_s)
        load = (core_ticks(config.server_cpu) - start).busy_percent()
        if load <= config.quiet_pct or time.monotonic() >= deadline:
            return load


def timed_run(config: Config, peer: Peer, scenario: Scenario, rep: int, origin_port: int,
              log_dir: Path) -> dict:
    pids = peer.pids(scenario)
    url = peer.url_for(scenario)
    before_options, after_url = scenario.wrk_args()
    argv = ["timeout", "-k", "5", str(config.duration + 60),
            "taskset", "-c", str(config.client_cpu),
            "wrk", "-t", str(config.wrk_threads), "-c", str(scenario.connections),
            "-d", f"{config.duration}s", "--timeout", "5s", "--latency",
            *before_options, url, *after_url]

    background = background_load(config)

    origin_before = warmup.origin_count(origin_port)
    process_before = process_cpu_ticks(pids)
    server_before = core_ticks(config.server_cpu)
    client_before = core_ticks(config.client_cpu)
    done = run_bounded(argv, config.duration + 90)
    server = core_ticks(config.server_cpu) - server_before
    client = core_ticks(config.client_cpu) - client_before
    process_ticks = process_cpu_ticks(pids) - process_before
    origin_requests = warmup.origin_count(origin_port) - origin_before

    (log_dir / f"{rep + 1}-{scenario.name}-{peer.name}.txt").write_text(
        " ".join(argv) + "\n\n" + done.stdout)
    result = parse_wrk(done.stdout)
    requests = result.requests if result else 0
    per_request = US_PER_TICK / requests if requests else float("nan")
    status = "ok" if done.returncode == 0 and result else \
        ("timed out" if done.returncode in (124, 137) else f"wrk exit {done.returncode}")
    return {
        "rep": rep + 1, "scenario": scenario.name, "peer": peer.name,
        "connections": scenario.connections,
        "seconds": result.seconds if result else 0.0, "requests": requests,
        "req_per_s": result.requests_per_second if result else 0.0,
        "p50_ms": result.p50_us / 1000 if result else float("nan"),
        "p99_ms": result.p99_us / 1000 if result else float("nan"),
        "non_2xx": result.non_2xx if result else 0,
        "socket_errors": result.socket_errors if result else 0,
        "core0_busy_ticks": server.busy, "core0_total_ticks": server.total,
        "core0_steal_ticks": server.steal,
        "core0_us_per_req": server.busy * per_request,
        "process_us_per_req": process_ticks * per_request,
        "client_cpu_pct": client.busy_percent(),
        "background_core0_pct": background,
        "origin_requests": origin_requests,
        "rss_kib": 0, "pss_kib": 0, "wrk_status": status,
    }


def run_interleaved(config: Config, peers: list[Peer], origin_port: int, log_dir: Path,
                    runs: list[dict], problems: list[str], after_run=None,
                    timed=timed_run) -> int:
    """Every repetition, every scenario, every peer that serves it in turn (the order rotated
    by one each repetition, so drift hits all peers alike); appends each run to `runs` as it
    finishes. `after_run(peer, scenario, row)` may add to a row (memory after d). A peer that
    died is reported once and skipped. `timed` makes one run (wrk by default; the TLS family
    passes its own, which also runs openssl s_time). Returns how many failures it added to
    `problems`."""
    wrk_dir = log_dir / "wrk"
    failures = 0
    dead: set[str] = set()
    for rep in range(config.reps):
        for scenario in config.scenarios:
            shift = rep % len(peers) if peers else 0
            for peer in peers[shift:] + peers[:shift]:
                if peer.name in dead or not peer.serves(scenario):
                    continue
                if not peer.alive():
                    dead.add(peer.name)
                    problems.append(f"{peer.name} exited (status {peer.process.returncode}) "
                                    f"before rep {rep + 1} scenario {scenario.name}; "
                                    f"see {log_dir / (peer.name + '.log')}")
                    failures += 1
                    continue
                row = timed(config, peer, scenario, rep, origin_port, wrk_dir)
                if after_run:
                    after_run(peer, scenario, row)
                runs.append(row)
                print(f"bench: rep {rep + 1}/{config.reps} {scenario.name:>3} "
                      f"{peer.name:<8} {row['req_per_s']:>10,.0f} req/s  "
                      f"p99 {row['p99_ms']:6.2f} ms  {row['core0_us_per_req']:6.2f} µs/req "
                      f"(process {row['process_us_per_req']:.2f})  client "
                      f"{row['client_cpu_pct']:.0f}%  errors "
                      f"{row['non_2xx'] + row['socket_errors']}  origin "
                      f"{row['origin_requests']}  {row['wrk_status']}", file=sys.stderr)
                if row["wrk_status"] != "ok":
                    problems.append(f"rep {rep + 1} {scenario.name} {peer.name}: "
                                    f"{row['wrk_status']} (see {wrk_dir})")
                    failures += 1
    return failures


def add_load_facts(runs: list[dict], meta_facts: dict, problems: list[str]) -> None:
    """The server core's background load between runs and the hypervisor's steal during them,
    for the summary; a busy core is a problem to report, since it inflates core-0 µs/req."""
    background = [r["background_core0_pct"] for r in runs]
    if background:
        meta_facts["background load on the server core, between runs"] = (
            f"median {statistics.median(background):.0f}%, max {max(background):.0f}% "
            f"(other tenants and idle peers; counted in core-0 µs/req, not in process µs/req)")
        if statistics.median(background) > 10:
            problems.append(
                f"the server core was busy with other work between runs (median "
                f"{statistics.median(background):.0f}%): core-0 µs/req and req/s are inflated "
                f"by it; compare process µs/req, and rerun on a quiet machine or with QUIET_WAIT")
    steal = sum(r["core0_steal_ticks"] for r in runs)
    total = sum(r["core0_total_ticks"] for r in runs)
    if total:
        meta_facts["hypervisor steal on the server core during runs"] = \
            f"{100 * steal / total:.1f}%"


def describe_machine(config: Config) -> dict:
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    commit = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip() or "?"
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    return {
        "machine": f"{model}, {os.cpu_count()} CPUs, Linux {os.uname().release}",
        "commit": commit,
        "load": f"wrk ({(wrk.stdout + wrk.stderr).split()[1] if wrk.stdout + wrk.stderr else '?'})"
                f" -t{config.wrk_threads} with the origin on core {config.client_cpu}; "
                f"servers on core {config.server_cpu}",
        "runs": f"DURATION={config.duration} s, REPS={config.reps}, peers in turn per "
                f"scenario, order rotated each repetition",
    }


def start_peers(peer_types: dict, config: Config, setup, problems: list[str],
                facts: dict) -> tuple[list[Peer], int]:
    """Starts each of config.peers (by name, from peer_types) that serves one of the
    scenarios; one that does not come up is a problem, not the end of the run. Every family
    starts its peers so. Returns the peers started and how many failed."""
    peers, failed = [], 0
    for name in config.peers:
        peer = peer_types[name](setup)
        if not any(peer.serves(s) for s in config.scenarios):
            continue   # e.g. cachet-http without ta, cachet-hit with only lat50
        try:
            peer.start()
        except (StartError, OSError) as error:
            problems.append(f"{name} did not start, not timed: {error}")
            print(f"bench: {name} did not start: {error}", file=sys.stderr)
            failed += 1
            continue
        peers.append(peer)
        facts[f"peer {name}"] = peer.version()
        print(f"bench: {name} ready on port {peer.port}", file=sys.stderr)
    return peers, failed


def start_origin(config: Config, supervisor: Supervisor, log_dir: Path) -> int:
    log = log_dir / "origin.log"
    process = supervisor.start("origin", [str(config.build_dir / "tools" / "cachet-bench-origin"),
                                          "--listen", "127.0.0.1:0", "--threads", "2"],
                               log, config.client_cpu)
    match = wait_for_line(process, log, r"listening on [\d.]+:(\d+)", 15)
    return int(match.group(1))


def run(config: Config, supervisor: Supervisor, results: Path, work: Path,
        runs: list[dict]) -> int:
    """Runs everything; appends each finished run to `runs` as it goes, so that an interrupted
    benchmark still leaves its finished runs in runs.tsv."""
    log_dir = results / "logs"
    wrk_dir = log_dir / "wrk"
    wrk_dir.mkdir(parents=True)
    problems: list[str] = []   # shown in the summary
    failures = 0               # problems that make the exit status 1
    started_at = datetime.datetime.now(datetime.timezone.utc)
    meta_facts = describe_machine(config)

    origin_port = start_origin(config, supervisor, log_dir)
    setup = Setup(build_dir=config.build_dir, conf_dir=BENCH_DIR / "conf", work_dir=work,
                  results_dir=results, origin_port=origin_port, server_cpu=config.server_cpu,
                  supervisor=supervisor, big=config.big,
                  cachet_cache_size=config.cachet_cache_size)

    peers, failed = start_peers(PEER_TYPES, config, setup, problems, meta_facts)
    failures += failed

    warm_paths = list(dict.fromkeys(p for s in config.scenarios for p in s.warm_paths()))
    warm_results = {}
    for peer in peers:
        if not peer.caches or not warm_paths:
            continue
        result = warmup.warm(peer.port, warm_paths, origin_port, config.warm_connections,
                             config.warm_pipeline)
        warm_results[peer.name] = result
        print(f"bench: warmed {peer.name}: {result.keys:,} keys in {result.seconds:.1f} s, "
              f"{result.verdict()}", file=sys.stderr)
        if not result.ok:
            problems.append(f"{peer.name} warm-up: {result.verdict()}")
            failures += 1

    memory_samples: dict[str, list[dict]] = {}

    def sample_memory(peer: Peer, scenario: Scenario, row: dict) -> None:
        if scenario.name == "d":
            pids = peer.pids(scenario)
            row["rss_kib"], row["pss_kib"] = memory_kib(pids)
            memory_samples.setdefault(peer.name, []).append(
                {"rss": row["rss_kib"], "pss": row["pss_kib"], "processes": len(pids)})

    failures += run_interleaved(config, peers, origin_port, log_dir, runs, problems,
                                sample_memory)

    memory = {}
    for peer in peers:
        samples = memory_samples.get(peer.name)
        if samples:
            memory[peer.name] = {
                "rss_kib": statistics.median(s["rss"] for s in samples),
                "pss_kib": statistics.median(s["pss"] for s in samples),
                "processes": samples[-1]["processes"],
                "note": peer.disk_note(),
            }

    add_load_facts(runs, meta_facts, problems)

    peer_names = [p.name for p in peers]
    rows = report.aggregate(runs, config.scenarios, peer_names)
    report.write_tsv(results / "runs.tsv", runs)
    chart_problem = report.write_chart(results, config.scenarios, peer_names, rows)
    if chart_problem:
        problems.append(chart_problem)
    meta = {"started": started_at.strftime("%Y-%m-%d %H:%M UTC"), "facts": meta_facts,
            "reps": config.reps, "duration": config.duration}
    summary = report.summary_markdown(meta, config.scenarios, peer_names, rows, warm_results,
                                      memory, problems)
    (results / "summary.md").write_text(summary)
    print(summary)
    print(f"bench: results in {results}", file=sys.stderr)
    return 1 if failures else 0


def _raise_exit(signum, _frame):
    raise SystemExit(128 + signum)


def main(argv: list[str]) -> int:
    try:
        config = config_from_env()
    except ConfigError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    if argv[1:] == ["--check-config"]:   # scripts/bench.sh asks before installing or building
        return 0
    if not check_cpus(config):
        return 2
    missing = [p for p in [config.build_dir / "tools" / "cachet-bench-origin"]
               + ([config.build_dir / "tools" / "cachet-limit-server"]
                  if "limit" in config.peers else [])
               + ([config.build_dir / "cachet"] if "cachet" in config.peers else [])
               if not p.exists()]
    if missing:
        print(f"bench: not built: {', '.join(map(str, missing))} (scripts/bench.sh builds them)",
              file=sys.stderr)
        return 2

    return supervise(config, run)


def check_cpus(config: Config) -> bool:
    for cpu in (config.server_cpu, config.client_cpu):
        if cpu not in os.sched_getaffinity(0):
            print(f"bench: CPU {cpu} is not available here (SERVER_CPU/CLIENT_CPU)",
                  file=sys.stderr)
            return False
    return True


def supervise(config: Config, run_family, columns: list[str] = report.COLUMNS) -> int:
    """Runs `run_family(config, supervisor, results, work, runs)` with everything it starts
    stopped by PID however it ends (normally, on an error, Ctrl-C, SIGTERM or SIGHUP); the
    finished runs of an interrupted benchmark still go to runs.tsv (`columns`: a family's
    own, as it writes them when it finishes)."""
    # Ctrl-C raises KeyboardInterrupt even when started from a shell that ignores SIGINT for
    # background jobs; SIGTERM and SIGHUP end the run the same way.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_exit)
    signal.signal(signal.SIGHUP, _raise_exit)
    os.sched_setaffinity(0, {config.client_cpu})

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    results = config.results_root / stamp
    results.mkdir(parents=True)
    work = Path(tempfile.mkdtemp(prefix="cachet-bench-"))
    supervisor = Supervisor()
    runs: list[dict] = []
    try:
        return run_family(config, supervisor, results, work, runs)
    except (KeyboardInterrupt, SystemExit) as stop:
        print("bench: interrupted; stopping everything", file=sys.stderr)
        if runs:
            report.write_tsv(results / "runs.tsv", runs, columns)
            print(f"bench: the {len(runs)} finished run(s) are in {results / 'runs.tsv'}",
                  file=sys.stderr)
        return stop.code if isinstance(stop, SystemExit) else 130
    except StartError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    finally:
        # Shield the cleanup from a second Ctrl-C or SIGTERM.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        supervisor.stop_all()
        if config.keep_tmp:
            print(f"bench: kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
