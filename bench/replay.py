#!/usr/bin/env python3
"""The replay family of the benchmark (scripts/bench.sh replay): cachet as a load-test
stand-in, against the common mock servers, with a cache hit and the limit server as yardsticks.

Records 10,000 1 KiB JSON responses from bench/json_origin.py through `cachet --mode record`,
loads the same recorded responses into every stand-in in its own format (a cachet snapshot,
WireMock mappings, a mountebank imposter, a Mockoon environment), checks that each answers
every path with exactly the recorded body, warms each (the JVM for longer), then runs the
scenarios r1, r10k and lat50 interleaved, REPS times, as the default family does (the shared
machinery is in driver.py). Also times the save and load of a 1 GiB snapshot
(cachet-snapshot-bench). Results go to bench/results/<timestamp>/.

Invariants as in driver.py: servers on SERVER_CPU, wrk, the origin and this driver on
CLIENT_CPU; every process through the Supervisor, stopped by PID; every wrk run under
`timeout`; traffic only to 127.0.0.1.
"""

import sys

sys.dont_write_bytecode = True

import dataclasses
import datetime
import os
import re
import resource
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import driver
import http_client
import replay_fixtures as fixtures
import report
import warmup
from measure import parse_wrk
from peers import Peer, Setup, free_port
from replay_peers import REPLAY_PEER_TYPES, ReplaySetup, missing_installs
from scenarios import Scenario, replay_scenarios
from supervisor import StartError, Supervisor, wait_for_line

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_PEERS = "cachet-replay cachet-hit wiremock mountebank mockoon limit"
HIT_PEER = "cachet-hit"   # the second yardstick: the summary's "× cachet-hit" column


@dataclass(frozen=True)
class ReplayConfig:
    """What only the replay family reads from the environment (the rest is driver.Config)."""

    warm_s: int            # wrk seconds per scenario before timing each peer (JIT warm-up)
    jvm_warm_s: int        # the same for WireMock, which needs far longer
    snapshot_bench: bool
    snapshot_records: int
    verify_s: int          # how long each instance's answers are checked, at most


def replay_config_from_env() -> ReplayConfig:
    return ReplayConfig(
        warm_s=driver.int_env("WARM_SECONDS", 3, 0, 600),
        jvm_warm_s=driver.int_env("JVM_WARM_SECONDS", 25, 0, 600),
        snapshot_bench=os.environ.get("SNAPSHOT_BENCH", "1") not in ("", "0"),
        snapshot_records=driver.int_env("SNAPSHOT_RECORDS", 1 << 20, 1, 1 << 26),
        verify_s=driver.int_env("VERIFY_SECONDS", 60, 1, 3600),
    )


# --- recording ------------------------------------------------------------------------------

def start_json_origin(config: driver.Config, supervisor: Supervisor, log_dir: Path) -> int:
    log = log_dir / "json-origin.log"
    process = supervisor.start("json-origin", [sys.executable, str(BENCH_DIR / "json_origin.py"),
                                               "--listen", "127.0.0.1:0",
                                               "--keys", str(fixtures.KEYS)],
                               log, config.client_cpu)
    return int(wait_for_line(process, log, r"listening on [\d.]+:(\d+)", 15).group(1))


def expect_json(path: str, response: http_client.Response) -> str | None:
    """None if `response` is the JSON origin's object for `path`, byte for byte."""
    if response.status != 200:
        return f"status {response.status}"
    if response.headers.get("content-type", "").split(";")[0].strip() != fixtures.CONTENT_TYPE:
        return f"content-type {response.headers.get('content-type')!r}"
    if response.body != fixtures.json_body(path):
        return f"{len(response.body)} body bytes, not the recorded ones"
    return None


def record(config: driver.Config, supervisor: Supervisor, work: Path, log_dir: Path,
           origin_port: int, paths: list[str]) -> fixtures.Recording:
    """Records `paths` once each through `cachet --mode record` and stops it with SIGTERM,
    which writes the snapshot; checks it with `cachet snapshot verify`. Returns the snapshot
    and the responses as the recording gave them: the other stand-ins are generated from
    those."""
    name = f"record-{len(paths)}"
    snapshot = work / f"api-{len(paths)}.snapshot"
    port = free_port()
    log = log_dir / f"cachet-{name}.log"
    recorder = supervisor.start(f"cachet-{name}", [
        str(config.build_dir / "cachet"), "--mode", "record", "--snapshot", str(snapshot),
        "--origin", f"http://127.0.0.1:{origin_port}", "--listen", f"127.0.0.1:{port}",
        "--workers", "1", "--admin", "127.0.0.1:0"], log, config.server_cpu)
    wait_for_line(recorder, log, r"cachet listening on", 30)
    responses: dict[str, http_client.Response] = {}

    def keep(path: str, response: http_client.Response) -> str | None:
        responses[path] = response
        return expect_json(path, response)

    fetched = http_client.fetch_all(port, paths, keep, connections=8)
    supervisor.stop(recorder, grace_s=60)
    if fetched.failures:
        raise StartError(f"recording: {fetched.failures} bad responses, e.g. "
                         f"{'; '.join(fetched.examples)} (see {log})")
    if recorder.returncode != 0 or not snapshot.exists():
        raise StartError(f"recording: cachet exited with status {recorder.returncode} and "
                         f"{'a' if snapshot.exists() else 'no'} snapshot (see {log})")
    verify = subprocess.run([str(config.build_dir / "cachet"), "snapshot", "verify",
                             str(snapshot)], capture_output=True, text=True, timeout=120)
    (log_dir / f"snapshot-verify-{len(paths)}.txt").write_text(verify.stdout + verify.stderr)
    if verify.returncode != 0:
        raise StartError(f"cachet snapshot verify {snapshot} failed (see {log_dir})")
    return fixtures.Recording(snapshot, [
        fixtures.Recorded(path=p, status=responses[p].status,
                          content_type=responses[p].headers["content-type"],
                          cache_control=responses[p].headers.get("cache-control", ""),
                          body=responses[p].body)
        for p in paths])


# --- before timing: verification and warm-up -------------------------------------------------

@dataclass
class Readiness:
    """How a peer did before timing: checked answers, warm-up, and whether it is timed."""

    checked: int = 0
    of: int = 0                     # answers there were to check
    failures: int = 0
    examples: list[str] = field(default_factory=list)
    warm_note: str = ""
    lat50_ms: float | None = None   # one delayed answer, timed by the client

    @property
    def ok(self) -> bool:
        return self.failures == 0

    def add(self, checked: int, failures: int, examples: list[str], of: int) -> None:
        self.checked += checked
        self.of += of
        self.failures += failures
        self.examples += examples[:5 - len(self.examples)]


def sample_first(paths: list[str], step: int = 10) -> list[str]:
    """Every step-th path first, then the rest: checking stopped by its deadline has still
    covered the whole range evenly."""
    return paths[::step] + [p for i, p in enumerate(paths) if i % step]


def check_bounded(port: int, paths: list[str], connections: int,
                  deadline_s: float) -> tuple[int, int, list[str]]:
    """Checks `paths` (sample first) in batches until done or past the deadline: a mock
    server that matches 10,000 stubs one by one can take many minutes for all of them.
    Returns (checked, failures, examples)."""
    checked = failures = 0
    examples: list[str] = []
    end = time.monotonic() + deadline_s
    ordered = sample_first(paths)
    for at in range(0, len(ordered), 200):
        if time.monotonic() >= end:
            break
        fetched = http_client.fetch_all(port, ordered[at:at + 200], expect_json, connections)
        checked += fetched.requests
        failures += fetched.failures
        examples += fetched.examples[:5 - len(examples)]
    return checked, failures, examples


def verify_peer(peer: Peer, scenarios: list[Scenario], origin_port: int,
                config: driver.Config, deadline_s: float) -> Readiness:
    """Each instance must answer the paths it was loaded with: status 200, application/json
    and exactly the recorded body (up to `deadline_s` per instance, a sample spread over all
    paths first). For cachet's proxy this is its warm-up too: two passes over all paths, the
    second must reach the origin zero times. The limit server is the floor: only its size is
    checked. lat50: one answer must take at least the delay."""
    ready = Readiness()
    if peer.name == "limit":
        try:
            response = http_client.get(peer.port, fixtures.ONE_PATH)
            problem = None if response.status == 200 and len(response.body) == \
                fixtures.BODY_BYTES else f"status {response.status}, {len(response.body)} bytes"
        except (OSError, http_client.HttpError) as error:
            problem = f"{type(error).__name__}: {error}"
        ready.add(1, int(problem is not None), [problem] if problem else [], 1)
        return ready
    for instance in {peer.instance_key(s): peer.instance(s) for s in scenarios
                     if peer.serves(s) and s.name != "lat50"}.values():
        paths = instance.recording.paths
        if peer.caches:
            warm = warmup.warm(instance.port, paths, origin_port, config.warm_connections, 1,
                               check=expect_json)
            cold = [warm.verdict()] if warm.pass2_origin_requests else []
            ready.add(2 * warm.keys, warm.failures + len(cold), warm.examples + cold,
                      2 * warm.keys)
        else:
            checked, failures, examples = check_bounded(instance.port, paths,
                                                        config.warm_connections, deadline_s)
            ready.add(checked, failures, examples, len(paths))
    lat50 = next((s for s in scenarios if s.name == "lat50"), None)
    if lat50 and peer.serves(lat50):
        ready.lat50_ms, problem = _timed_get(peer.port_for(lat50), peer.path_for(lat50),
                                             fixtures.ONE_PATH)
        if problem is None and ready.lat50_ms < fixtures.DELAY_MS:
            problem = f"answered in {ready.lat50_ms:.1f} ms, under the {fixtures.DELAY_MS} ms delay"
        ready.add(1, int(problem is not None), [f"lat50: {problem}"] if problem else [], 1)
    return ready


def _timed_get(port: int, path: str, recorded_path: str) -> tuple[float, str | None]:
    started = time.monotonic()
    try:
        response = http_client.get(port, path)
    except (OSError, http_client.HttpError) as error:
        return float("nan"), f"{type(error).__name__}: {error}"
    elapsed_ms = (time.monotonic() - started) * 1000
    return elapsed_ms, expect_json(recorded_path, response)


def warm_with_wrk(config: driver.Config, peer: Peer, scenarios: list[Scenario], seconds: int,
                  wrk_dir: Path) -> str:
    """Load at full speed for `seconds` per scenario before timing, bounded by `timeout`: JIT
    compilers (the JVM, V8) and caches settle, so the timed runs measure steady state. Not
    recorded as runs; wrk's reports go to logs/wrk/warm-*.txt."""
    if seconds == 0:
        return "none"
    done = []
    for scenario in scenarios:
        if not peer.serves(scenario):
            continue
        before, after = scenario.wrk_args()
        argv = ["timeout", "-k", "5", str(seconds + 60), "taskset", "-c", str(config.client_cpu),
                "wrk", "-t", "1", "-c", str(scenario.connections), "-d", f"{seconds}s",
                "--timeout", "5s", *before,
                f"http://127.0.0.1:{peer.port_for(scenario)}{peer.path_for(scenario)}", *after]
        result = driver.run_bounded(argv, seconds + 90)
        (wrk_dir / f"warm-{scenario.name}-{peer.name}.txt").write_text(
            " ".join(argv) + "\n\n" + result.stdout)
        parsed = parse_wrk(result.stdout)
        done.append(f"{scenario.name} {seconds} s"
                    + (f" ({parsed.requests_per_second:,.0f} req/s)" if parsed else " (failed)"))
    return ", ".join(done)


# --- the 1 GiB snapshot ----------------------------------------------------------------------

def snapshot_bench(config: driver.Config, replay: ReplayConfig, work: Path,
                   log_dir: Path) -> tuple[list[str], str | None]:
    """Runs cachet-snapshot-bench once on the server core (1 GiB of 1 KiB bodies by default):
    its output lines for the summary, and a problem or None."""
    binary = config.build_dir / "bench" / "cachet-snapshot-bench"
    if not binary.exists():
        return [], f"snapshot bench not built ({binary})"
    argv = ["timeout", "-k", "5", "900", "taskset", "-c", str(config.server_cpu), str(binary),
            "--records", str(replay.snapshot_records), "--size", str(fixtures.BODY_BYTES),
            "--dir", str(work)]
    done = driver.run_bounded(argv, 960)
    (log_dir / "snapshot-bench.txt").write_text(" ".join(argv) + "\n\n" + done.stdout)
    lines = [l for l in done.stdout.splitlines() if l.strip()]
    if done.returncode != 0:
        return lines, f"cachet-snapshot-bench exited with status {done.returncode}"
    return lines, None


def snapshot_figures(lines: list[str]) -> str:
    """'N records, X GiB: save S s, load L GB/s' from the bench's output, for the summary."""
    save = next((l for l in lines if l.startswith("save")), "")
    load = next((l for l in lines if l.startswith("load")), "")
    size = re.search(r"(\d+) records, ([\d.]+) GiB in ([\d.]+) s", save)
    speed = re.search(r"([\d.]+) GB/s", load)
    if not (size and speed):
        return "no figures (see logs/snapshot-bench.txt)"
    return (f"{int(size.group(1)):,} records of {fixtures.BODY_BYTES} B bodies, a "
            f"{size.group(2)} GiB file: save {size.group(3)} s (commit included: fsync, "
            f"rename), load {speed.group(1)} GB/s (from the page cache)")


# --- the run ---------------------------------------------------------------------------------

def target_lines(rows: list[dict]) -> list[str]:
    """The issue's targets, each with the measured figure and whether it is met."""
    by = {(r["scenario"], r["peer"]): r for r in rows if not r["na"]}
    out = []
    for scenario in ("r1", "r10k"):
        replay, hit = by.get((scenario, "cachet-replay")), by.get((scenario, HIT_PEER))
        if replay and hit:
            ratio = replay["ratio_ref"]
            own = replay["process_us"] / hit["process_us"] if hit["process_us"] else float("nan")
            out.append(f"{scenario}: replay costs {ratio:.2f}× a proxy hit in core-0 µs/req "
                       f"({replay['us']:.2f} vs {hit['us']:.2f}); target ≤ 1.10×: "
                       f"{'met' if ratio <= 1.10 else 'NOT met'}. In process µs/req (blind "
                       f"to other load on the core): {own:.2f}× ({replay['process_us']:.2f} vs "
                       f"{hit['process_us']:.2f})")
    lat = by.get(("lat50", "cachet-replay"))
    if lat:
        floor = 0.9 * 1000 / (fixtures.DELAY_MS / 1000)
        out.append(f"lat50: cachet replay {lat['rps']:,.0f} req/s (target ≥ {floor:,.0f}: "
                   f"{'met' if lat['rps'] >= floor else 'NOT met'}), p50 {lat['p50_ms']:.2f} ms, "
                   f"p99 {lat['p99_ms']:.2f} ms (target ≤ {fixtures.DELAY_MS + 5} ms: "
                   f"{'met' if lat['p99_ms'] <= fixtures.DELAY_MS + 5 else 'NOT met'})")
    return out


def readiness_markdown(readiness: dict[str, Readiness], verify_s: int) -> list[str]:
    out = ["", "## Before timing: answers checked, then warmed", "",
           "Each instance of a stand-in answered the paths it was loaded with: status 200, "
           "application/json and the recorded body byte for byte (every 10th path first, then "
           f"the rest, for at most {verify_s} s per instance: the slowest mock servers take "
           "many minutes for 10,000). cachet-hit: two passes over every path, the second "
           "reaching the origin zero times. limit: one prebuilt 1 KiB response, size checked "
           "only. A peer with a bad answer is not timed. Then each was loaded with wrk before "
           "its timed runs (JIT warm-up), WireMock for longer.", "",
           "| peer | answers checked | of | bad | lat50: one answer ms | warm-up (wrk) "
           "| verdict |", "|---|---:|---:|---:|---:|---|---|"]
    for name, r in readiness.items():
        lat = f"{r.lat50_ms:.1f}" if r.lat50_ms is not None else "–"
        verdict = "ok" if r.ok else "FAILED, not timed: " + "; ".join(r.examples[:3])
        out.append(f"| {name} | {r.checked:,} | {r.of:,} | {r.failures:,} | {lat} | "
                   f"{r.warm_note or '–'} | {verdict} |")
    return out


def run(config: driver.Config, replay: ReplayConfig, supervisor: Supervisor, results: Path,
        work: Path, runs: list[dict]) -> int:
    log_dir = results / "logs"
    wrk_dir = log_dir / "wrk"
    wrk_dir.mkdir(parents=True)
    problems: list[str] = []
    started_at = datetime.datetime.now(datetime.timezone.utc)
    facts = driver.describe_machine(config)
    open_files = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    facts["open files limit (wrk and every server)"] = f"{open_files:,}"
    if any(s.connections + 64 > open_files for s in config.scenarios):
        problems.append(f"the open files limit ({open_files:,}) is below what a scenario's "
                        f"connections need: wrk and the servers will fail to accept some")

    origin_port = start_json_origin(config, supervisor, log_dir)
    recordings = {n: record(config, supervisor, work, log_dir, origin_port,
                            fixtures.api_paths(n) if n > 1 else [fixtures.ONE_PATH])
                  for n in sorted({s.keys for s in config.scenarios})}
    facts["recordings"] = ", ".join(
        f"{len(r.exchanges):,} x {fixtures.BODY_BYTES} B JSON "
        f"({r.snapshot.stat().st_size / 2**20:.2f} MiB snapshot)"
        for r in recordings.values()) + " through cachet --mode record, each verified"
    print(f"bench: recorded {facts['recordings']}", file=sys.stderr)

    snapshot_lines: list[str] = []
    if replay.snapshot_bench:
        print("bench: timing the save and load of a snapshot (cachet-snapshot-bench)",
              file=sys.stderr)
        snapshot_lines, problem = snapshot_bench(config, replay, work, log_dir)
        facts["snapshot save/load"] = snapshot_figures(snapshot_lines)
        if problem:
            problems.append(problem)

    missing = missing_installs(config.peers)
    for name in missing:
        problems.append(f"{name} is not installed, not timed (scripts/bench.sh replay installs "
                        f"it from npm into bench/.npm/; WireMock also needs java)")
    wanted = [p for p in config.peers if p not in missing]
    base = Setup(build_dir=config.build_dir, conf_dir=BENCH_DIR / "conf", work_dir=work,
                 results_dir=results, origin_port=origin_port, server_cpu=config.server_cpu,
                 supervisor=supervisor, big=False, cachet_cache_size=config.cachet_cache_size)
    setup = ReplaySetup(base, recordings, config.scenarios)
    peers, failed = driver.start_peers(REPLAY_PEER_TYPES, dataclasses.replace(config, peers=wanted),
                                       setup, problems, facts)
    failures = len(missing) + failed

    readiness = {peer.name: verify_peer(peer, config.scenarios, origin_port, config,
                                        replay.verify_s) for peer in peers}
    timed: list[Peer] = []
    for peer in peers:
        ready = readiness[peer.name]
        if not ready.ok:
            problems.append(f"{peer.name} failed verification, not timed: "
                            f"{'; '.join(ready.examples[:3])}")
            failures += 1
            for process in peer.processes():
                supervisor.stop(process)
            continue
        seconds = replay.jvm_warm_s if peer.name == "wiremock" else replay.warm_s
        ready.warm_note = warm_with_wrk(config, peer, config.scenarios, seconds, wrk_dir)
        print(f"bench: {peer.name} verified ({ready.checked:,} of {ready.of:,} answers), "
              f"warmed: {ready.warm_note}", file=sys.stderr)
        timed.append(peer)

    failures += driver.run_interleaved(config, timed, origin_port, log_dir, runs, problems)
    driver.add_load_facts(runs, facts, problems)

    names = [p.name for p in timed]
    rows = report.aggregate(runs, config.scenarios, names, reference=HIT_PEER)
    report.write_tsv(results / "runs.tsv", runs)
    meta = {"started": started_at.strftime("%Y-%m-%d %H:%M UTC"), "facts": facts,
            "reps": config.reps, "duration": config.duration,
            "title": "cachet replay benchmark (scripts/bench.sh replay)"}
    extra = readiness_markdown(readiness, replay.verify_s)
    extra += ["", "## Targets", ""] + [f"- {line}" for line in target_lines(rows)]
    if snapshot_lines:
        extra += ["", "## Snapshot save and load (cachet-snapshot-bench, once, on the server "
                  "core; the load reads what the save left in the page cache)", "", "```"] \
                 + snapshot_lines + ["```"]
    summary = report.summary_markdown(meta, config.scenarios, names, rows, {}, {}, problems,
                                      reference=HIT_PEER, extra=extra)
    (results / "summary.md").write_text(summary)
    print(summary)
    print(f"bench: results in {results}", file=sys.stderr)
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    try:
        config = driver.config_from_env(REPLAY_PEER_TYPES, DEFAULT_PEERS, replay_scenarios())
        replay = replay_config_from_env()
    except driver.ConfigError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    if argv[1:] == ["--check-config"]:
        return 0
    if not driver.check_cpus(config):
        return 2
    needed = [config.build_dir / "cachet"] + (
        [config.build_dir / "tools" / "cachet-limit-server"] if "limit" in config.peers else [])
    missing = [p for p in needed if not p.exists()]
    if missing:
        print(f"bench: not built: {', '.join(map(str, missing))} (scripts/bench.sh replay "
              f"builds them)", file=sys.stderr)
        return 2
    return driver.supervise(config, lambda _, *rest: run(config, replay, *rest))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
