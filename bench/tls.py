#!/usr/bin/env python3
"""The TLS family of the benchmark (scripts/bench.sh tls): cachet, nginx and HAProxy as caching
proxies whose listeners speak TLS 1.3, in front of one HTTPS origin, with cachet's plain-HTTP
hit as the yardstick.

Makes a throw-away CA and an ECDSA P-256 server certificate (bench/tls_certs.py), starts the
bench origin and a TLS terminator in front of it (the HTTPS origin, on the client core), then
each peer once; checks with openssl s_client what each listener negotiates (bench/tls_check.py);
warms each cache as the default family does, over HTTPS; then runs the scenarios interleaved,
REPS times, with the default family's machinery (driver.py):

- ta: wrk over https:// against a cached 1 KiB object, and cachet-http over http:// (scenario
  a), so the summary divides each peer's server-core µs/request by cachet's plain hit;
- tn, tnr: HANDSHAKE_CLIENTS concurrent `openssl s_time` processes, each making one connection
  after another, with one request for /obj/1024/a (HTTP/1.1, Host, Connection: close: see
  tls_check.s_time_www) and a read to the close on each: full handshakes (-new) and
  resumptions from a session ticket (-reuse). Every connection's mark says whether it was
  resumed, the bytes read per connection that the object came back, the origin's counter
  that it was a hit;
- tm: wrk over https:// for a no-store object, so every request goes through the peer's
  kept-alive TLS pool to the HTTPS origin; the terminator counts the TLS connections the peer
  opened to it during the run.

Results go to bench/results/<timestamp>/ (summary.md, runs.tsv, conf/, logs/).

Invariants as in driver.py: servers on SERVER_CPU; wrk, s_time, the origin, the terminator and
this driver on CLIENT_CPU; every server through the Supervisor, stopped by PID; every wrk and
s_time run under `timeout`; traffic only to 127.0.0.1.
"""

import sys

sys.dont_write_bytecode = True

import datetime
import math
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import driver
import report
import tls_certs
import tls_check
import warmup
from measure import US_PER_TICK, core_ticks, parse_s_time, parse_wrk, process_cpu_ticks
from peers import Peer, Setup
from scenarios import Scenario, tls_scenarios
from supervisor import Supervisor
from tls_peers import HTTP_SCENARIO, NEEDS_CACHET, TLS_PEER_TYPES, TlsOrigin, TlsSetup

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_PEERS = "cachet nginx haproxy cachet-http"
HTTP_PEER = "cachet-http"   # the yardstick: the summary's "× cachet-http" column (ta only)
HANDSHAKE_MODES = {"tn": "-new", "tnr": "-reuse"}   # scenarios loaded by openssl s_time
HIT_TARGET = 1.3   # the issue: cachet's TLS hit at most this many times its plain hit
CHECK_PATH = "/obj/1024/a"   # what the TLS check requests: the object ta, tn and tnr hit

COLUMNS = report.COLUMNS + ["handshakes_full", "handshakes_resumed", "bytes_per_conn",
                            "origin_tls_connections"]


@dataclass(frozen=True)
class TlsConfig:
    """What only the TLS family reads from the environment (the rest is driver.Config)."""

    handshake_clients: int   # concurrent openssl s_time processes in tn and tnr
    pool_warm_s: int         # wrk seconds of tm per peer before timing: fills its origin pool


def tls_config_from_env() -> TlsConfig:
    return TlsConfig(handshake_clients=driver.int_env("HANDSHAKE_CLIENTS", 4, 1, 64),
                     pool_warm_s=driver.int_env("POOL_WARM_SECONDS", 2, 0, 600))


def warm_pool(config: driver.Config, peer: Peer, scenario: Scenario, seconds: int,
              wrk_dir: Path) -> str:
    """tm's load for `seconds` before timing, bounded by `timeout`, so the peer's pool of TLS
    connections to the origin is as large as tm's 64 connections need (the warm-up passes use
    8) and the timed runs measure requests, not the pool's first handshakes. Not recorded as
    a run; wrk's report goes to logs/wrk/warm-tm-<peer>.txt."""
    argv = ["timeout", "-k", "5", str(seconds + 60), "taskset", "-c", str(config.client_cpu),
            "wrk", "-t", "1", "-c", str(scenario.connections), "-d", f"{seconds}s",
            "--timeout", "5s", peer.url_for(scenario)]
    done = driver.run_bounded(argv, seconds + 90)
    (wrk_dir / f"warm-{scenario.name}-{peer.name}.txt").write_text(
        " ".join(argv) + "\n\n" + done.stdout)
    parsed = parse_wrk(done.stdout)
    return f"{seconds} s of {scenario.name}" + (
        f" ({parsed.requests_per_second:,.0f} req/s)" if parsed else " (wrk failed)")


# --- tn, tnr: new connections ----------------------------------------------------------------

def handshake_run(config: driver.Config, clients: int, peer: Peer, scenario: Scenario,
                  rep: int, origin_port: int, log_dir: Path) -> dict:
    """`clients` openssl s_time processes at once on the client core for DURATION seconds.
    s_time ends its run on a whole second of the wall clock, so the rate is its connections
    over the time measured here, around all of them."""
    mode = HANDSHAKE_MODES[scenario.name]
    argv = ["timeout", "-k", "5", str(config.duration + 30),
            "taskset", "-c", str(config.client_cpu),
            "openssl", "s_time", "-connect", f"127.0.0.1:{peer.port_for(scenario)}", mode,
            "-www", tls_check.s_time_www(peer.path_for(scenario)),
            "-time", str(config.duration), "-tls1_3"]
    pids = peer.pids(scenario)
    background = driver.background_load(config)

    origin_before = warmup.origin_count(origin_port)
    process_before = process_cpu_ticks(pids)
    server_before = core_ticks(config.server_cpu)
    client_before = core_ticks(config.client_cpu)
    started = time.monotonic()
    processes = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True) for _ in range(clients)]
    outputs = []
    try:
        for process in processes:
            outputs.append(process.communicate(timeout=config.duration + 60)[0])
    except BaseException:
        for process in processes:
            process.terminate()   # `timeout` passes SIGTERM on to s_time
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        raise
    seconds = time.monotonic() - started
    server = core_ticks(config.server_cpu) - server_before
    client = core_ticks(config.client_cpu) - client_before
    process_ticks = process_cpu_ticks(pids) - process_before
    origin_requests = warmup.origin_count(origin_port) - origin_before

    shown = " ".join(a.encode("unicode_escape").decode() for a in argv)   # the CRLFs as \r\n
    (log_dir / f"{rep + 1}-{scenario.name}-{peer.name}.txt").write_text("\n\n".join(
        f"# client {i + 1}: exit {p.returncode}\n" + shown + "\n\n" + out
        for i, (p, out) in enumerate(zip(processes, outputs))))
    reports = [parse_s_time(out) for out in outputs]
    parsed = [r for r in reports if r]
    connections = sum(r.connections for r in parsed)
    resumed = sum(r.resumed for r in parsed)
    full = sum(r.full for r in parsed)
    bytes_per_conn = min((r.bytes_per_conn for r in parsed), default=0)
    per_conn = US_PER_TICK / connections if connections else float("nan")

    codes = [p.returncode for p in processes]
    if any(c in (124, 137) for c in codes):
        status = "timed out"
    elif any(codes) or len(parsed) < clients:
        status = f"s_time exit {max(codes)}"
    elif bytes_per_conn < scenario.body_bytes:
        # s_time does not read the status line: a short answer is an error page.
        status = f"short answers ({bytes_per_conn} bytes per connection)"
    elif mode == "-reuse" and resumed < connections:
        status = f"only {resumed:,} of {connections:,} connections resumed"
    elif mode == "-new" and resumed:
        status = f"{resumed:,} connections resumed without being asked to"
    elif origin_requests:
        status = f"{origin_requests:,} of {connections:,} requests reached the origin (not hits)"
    else:
        status = "ok"
    return {
        "rep": rep + 1, "scenario": scenario.name, "peer": peer.name,
        "connections": clients, "seconds": seconds, "requests": connections,
        "req_per_s": connections / seconds if seconds > 0 else 0.0,
        "p50_ms": float("nan"), "p99_ms": float("nan"),   # s_time times no connection
        "non_2xx": 0, "socket_errors": 0,                 # it sees neither; see status
        "core0_busy_ticks": server.busy, "core0_total_ticks": server.total,
        "core0_steal_ticks": server.steal,
        "core0_us_per_req": server.busy * per_conn,
        "process_us_per_req": process_ticks * per_conn,
        "client_cpu_pct": client.busy_percent(),
        "background_core0_pct": background,
        "origin_requests": origin_requests,
        "rss_kib": 0, "pss_kib": 0, "wrk_status": status,
        "handshakes_full": full, "handshakes_resumed": resumed,
        "bytes_per_conn": bytes_per_conn,
    }


def make_timed(clients: int, origin: TlsOrigin):
    """One timed run for driver.run_interleaved: s_time for tn and tnr, wrk otherwise; each row
    also says how many TLS connections the peer opened to the HTTPS origin meanwhile."""

    def timed(config: driver.Config, peer: Peer, scenario: Scenario, rep: int, origin_port: int,
              log_dir: Path) -> dict:
        before = origin.tls_connections()
        if scenario.name in HANDSHAKE_MODES:
            row = handshake_run(config, clients, peer, scenario, rep, origin_port, log_dir)
        else:
            row = driver.timed_run(config, peer, scenario, rep, origin_port, log_dir)
        after = origin.tls_connections()
        row["origin_tls_connections"] = after - before if min(before, after) >= 0 else -1
        return row

    return timed


# --- the summary -----------------------------------------------------------------------------

def _fmt(value: float, digits: int = 2) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def connection_lines(runs: list[dict], peers: list[str]) -> list[str]:
    """tn and tnr per peer (medians), and tm's TLS connections to the origin; nothing for a
    scenario that did not run."""
    out = []
    if any(r["scenario"] in HANDSHAKE_MODES for r in runs):
        out += handshake_table(runs, peers)
    tm = [r for r in runs if r["scenario"] == "tm"]
    if tm:
        out += ["", "## The origin pool (tm)", "",
                "TLS connections each peer opened to the HTTPS origin during its timed "
                "runs (the terminator's CumSslConns; a kept-alive pool, warmed by "
                "POOL_WARM_SECONDS of tm before timing, opens none), and the origin requests "
                "the bench origin counted:", "",
                "| peer | TLS connections to the origin | requests | origin requests |",
                "|---|---:|---:|---:|"]
        for peer in peers:
            mine = [r for r in tm if r["peer"] == peer]
            if mine:
                tls = [r["origin_tls_connections"] for r in mine]
                out.append(f"| {peer} | {'?' if min(tls) < 0 else f'{sum(tls):,}'} | "
                           f"{sum(r['requests'] for r in mine):,} | "
                           f"{sum(r['origin_requests'] for r in mine):,} |")
    return out


def handshake_table(runs: list[dict], peers: list[str]) -> list[str]:
    """tn and tnr per peer: medians of the rates and costs, sums of the marks."""
    out = ["", "## New connections (tn, tnr)", "",
           "One connection = one handshake, one `GET /obj/1024/a` (HTTP/1.1 with Host and "
           "Connection: close), the response read to the server's close. conn/s: connections "
           "over the wall time around all s_time clients. core-0 µs/conn = server core busy "
           "time ÷ connections, the robust figure: s_time, not the server, is usually the "
           "bottleneck (see client CPU). full/resumed: s_time's mark per connection, summed "
           "over repetitions. bytes/conn: what s_time read per connection (head and the "
           "1,024-byte body; fewer means an error page).", "",
           "| scenario | peer | conn/s | core-0 µs/conn | process µs/conn | full | resumed | "
           "bytes/conn | client CPU % | status |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for scenario in HANDSHAKE_MODES:
        for peer in peers:
            mine = [r for r in runs if r["scenario"] == scenario and r["peer"] == peer]
            if not mine:
                continue

            def median(column: str) -> float:
                return statistics.median(r[column] for r in mine)

            bad = [r["wrk_status"] for r in mine if r["wrk_status"] != "ok"]
            out.append(f"| {scenario} | {peer} | {_fmt(median('req_per_s'), 0)} | "
                       f"{_fmt(median('core0_us_per_req'))} | "
                       f"{_fmt(median('process_us_per_req'))} | "
                       f"{sum(r['handshakes_full'] for r in mine):,} | "
                       f"{sum(r['handshakes_resumed'] for r in mine):,} | "
                       f"{min(r['bytes_per_conn'] for r in mine):,} | "
                       f"{_fmt(median('client_cpu_pct'), 0)} | {'; '.join(bad) or 'ok'} |")
    return out


def target_lines(rows: list[dict]) -> list[str]:
    """The issue's targets, each with the measured figures and whether it is met."""
    by = {(r["scenario"], r["peer"]): r for r in rows if not r["na"]}
    out = []
    mine, plain = by.get(("ta", "cachet")), by.get(("ta", HTTP_PEER))
    if mine and plain:
        ratio = mine["ratio_ref"]
        others = [(p, by[("ta", p)]["us"]) for p in ("nginx", "haproxy") if ("ta", p) in by]
        below = all(mine["us"] < us for _, us in others)
        out.append(f"ta: cachet over TLS costs {_fmt(ratio)}× its plain hit in core-0 µs/req "
                   f"({_fmt(mine['us'])} vs {_fmt(plain['us'])}); target ≤ {HIT_TARGET}×: "
                   f"{'met' if ratio <= HIT_TARGET else 'NOT met'}. Below "
                   + (" and ".join(f"{p} ({_fmt(us)})" for p, us in others) or "(no other peer)")
                   + f": {'met' if others and below else 'NOT met'}")
    for scenario in HANDSHAKE_MODES:
        own = by.get((scenario, "cachet"))
        if own:
            others = ", ".join(f"{p} {_fmt(by[(scenario, p)]['us'])}"
                               for p in ("nginx", "haproxy") if (scenario, p) in by)
            out.append(f"{scenario}: cachet {_fmt(own['us'])} core-0 µs per connection "
                       f"({_fmt(own['rps'], 0)} conn/s); {others or 'no other peer'} (no target "
                       f"set)")
    miss = by.get(("tm", "cachet"))
    if miss:
        others = [(p, by[("tm", p)]["us"]) for p in ("nginx", "haproxy") if ("tm", p) in by]
        at_or_below = all(miss["us"] <= us for _, us in others)
        out.append(f"tm: cachet {_fmt(miss['us'])} core-0 µs/req; "
                   + (", ".join(f"{p} {_fmt(us)}" for p, us in others) or "no other peer")
                   + f"; target at or below both: {'met' if others and at_or_below else 'NOT met'}")
    return out


# --- the run ---------------------------------------------------------------------------------

def run(config: driver.Config, tls: TlsConfig, supervisor: Supervisor, results: Path,
        work: Path, runs: list[dict]) -> int:
    log_dir = results / "logs"
    wrk_dir = log_dir / "wrk"
    wrk_dir.mkdir(parents=True)
    problems: list[str] = []
    failures = 0
    started_at = datetime.datetime.now(datetime.timezone.utc)
    facts = driver.describe_machine(config)
    facts["openssl"] = subprocess.run(["openssl", "version"], capture_output=True,
                                      text=True).stdout.strip()

    certs = tls_certs.make(work, log_dir / "openssl-certs.log")
    facts["certificate"] = certs.describe()
    origin_port = driver.start_origin(config, supervisor, log_dir)
    base = Setup(build_dir=config.build_dir, conf_dir=BENCH_DIR / "conf", work_dir=work,
                 results_dir=results, origin_port=origin_port, server_cpu=config.server_cpu,
                 supervisor=supervisor, big=False, cachet_cache_size=config.cachet_cache_size)
    origin = TlsOrigin(base, certs, config.client_cpu)
    tls_origin_port = origin.start(supervisor)
    facts["HTTPS origin"] = origin.version()
    setup = TlsSetup(base, certs, tls_origin_port)

    peers, failed = driver.start_peers(TLS_PEER_TYPES, config, setup, problems, facts)
    failures += failed

    checks = {"HTTPS origin (terminator)": tls_check.check(
        tls_origin_port, CHECK_PATH, certs, work, log_dir / "s_client-tls-origin.txt")}
    for peer in peers:
        if peer.tls:
            checks[peer.name] = tls_check.check(peer.port, CHECK_PATH, certs, work,
                                                log_dir / f"s_client-{peer.name}.txt")
    for name, negotiated in checks.items():
        if negotiated.problem:
            problems.append(f"{name}: TLS check: {negotiated.problem} (see "
                            f"{log_dir}/s_client-*.txt)")
            failures += 1

    warm_results = {}
    for peer in peers:
        wanted = [p for s in config.scenarios if peer.serves(s) for p in s.warm_paths()]
        if not wanted:
            continue
        result = warmup.warm(peer.port, list(dict.fromkeys(wanted)), origin_port,
                             config.warm_connections, 1, tls=peer.tls)
        warm_results[peer.name] = result
        print(f"bench: warmed {peer.name}: {result.keys:,} keys, {result.verdict()}",
              file=sys.stderr)
        if not result.ok:
            problems.append(f"{peer.name} warm-up: {result.verdict()}")
            failures += 1
    pool_scenario = next((s for s in config.scenarios if s.name == "tm"), None)
    if pool_scenario and tls.pool_warm_s:
        for peer in peers:
            if peer.serves(pool_scenario):
                note = warm_pool(config, peer, pool_scenario, tls.pool_warm_s, wrk_dir)
                facts[f"origin pool warm-up {peer.name}"] = note
                print(f"bench: {peer.name} origin pool warmed: {note}", file=sys.stderr)

    failures += driver.run_interleaved(config, peers, origin_port, log_dir, runs, problems,
                                       timed=make_timed(tls.handshake_clients, origin))
    driver.add_load_facts(runs, facts, problems)

    names = [p.name for p in peers]
    rows = report.aggregate(runs, config.scenarios, names, reference=HTTP_PEER)
    report.write_tsv(results / "runs.tsv", runs, COLUMNS)
    meta = {"started": started_at.strftime("%Y-%m-%d %H:%M UTC"), "facts": facts,
            "reps": config.reps, "duration": config.duration,
            "title": "cachet TLS benchmark (scripts/bench.sh tls)"}
    extra = ["", "In tn and tnr a request is a connection: req/s is connections/s and core-0 "
             "µs/req is µs per connection (p50 and p99 are not measured by s_time); see the "
             "table of new connections below.",
             "", "## TLS as negotiated (openssl s_client, before timing)", "",
             "Each server got a full handshake that saved the session and a second connection "
             "that offered it back, each sending s_time's request. Verified: the chain against "
             "the bench CA and the name localhost.", ""] + tls_check.TABLE_HEAD
    extra += [negotiated.row(name) for name, negotiated in checks.items()]
    extra += connection_lines(runs, names)
    targets = target_lines(rows) or ["none: the targets compare cachet with the others"]
    extra += ["", "## Targets", ""] + [f"- {line}" for line in targets]
    summary = report.summary_markdown(meta, config.scenarios, names, rows, warm_results, {},
                                      problems, reference=HTTP_PEER, extra=extra)
    (results / "summary.md").write_text(summary)
    print(summary)
    print(f"bench: results in {results}", file=sys.stderr)
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    try:
        tls = tls_config_from_env()
        config = driver.config_from_env(TLS_PEER_TYPES, DEFAULT_PEERS,
                                        tls_scenarios(tls.handshake_clients))
    except driver.ConfigError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    if argv[1:] == ["--check-config"]:
        return 0
    if not driver.check_cpus(config):
        return 2
    needed = [config.build_dir / "tools" / "cachet-bench-origin"] + (
        [config.build_dir / "cachet"] if NEEDS_CACHET & set(config.peers) else [])
    missing = [str(p) for p in needed if not p.exists()]
    missing += [tool for tool in ("openssl", "haproxy", "wrk") if shutil.which(tool) is None]
    if "nginx" in config.peers and shutil.which("nginx") is None:
        missing.append("nginx")
    if missing:
        print(f"bench: missing: {', '.join(missing)} (scripts/bench.sh tls installs and builds "
              f"them)", file=sys.stderr)
        return 2
    return driver.supervise(config, lambda _, *rest: run(config, tls, *rest), COLUMNS)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
